/* The firmware's own tiny font: 5×7 glyphs for ' ' .. 'Z' (lower case is drawn as upper case). */
#ifndef BRIDGE_FONT5X7_H
#define BRIDGE_FONT5X7_H
#include <stdint.h>
#define FONT_FIRST 0x20
#define FONT_LAST 0x5A
/* Column bytes, bit 0 = top row; NULL-free: unknown characters map to '?'. */
const uint8_t *font5x7_glyph(char c);
#endif
