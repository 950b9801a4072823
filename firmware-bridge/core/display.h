/* Drawing on the panel: the host's commands (fill, 1-bit bitmap, grey and RGB565 rows) and the firmware's own
 * text in the tiny font. Everything streams into the panel window through a small stack buffer. */
#ifndef BRIDGE_DISPLAY_H
#define BRIDGE_DISPLAY_H
#include <stdbool.h>
#include <stdint.h>
#include "ili9341.h"

#define RGB565(r, g, b) ((uint16_t)((((r) & 0xF8u) << 8) | (((g) & 0xFCu) << 3) | ((b) >> 3)))
#define COLOUR_BLACK 0x0000u
#define COLOUR_WHITE 0xFFFFu
#define COLOUR_RED 0xF800u
#define COLOUR_GREEN 0x07E0u
#define COLOUR_AMBER 0xFD20u
#define COLOUR_GREY 0x8410u

/* True if the rectangle is non-empty and on the panel. */
bool display_rect_ok(uint16_t x, uint16_t y, uint16_t w, uint16_t h);
void display_fill(const struct panel_bus *bus, uint16_t x, uint16_t y, uint16_t w, uint16_t h, uint16_t colour);
void display_bitmap1(const struct panel_bus *bus, uint16_t x, uint16_t y, uint16_t w, uint16_t h, uint16_t fg,
                     uint16_t bg, const uint8_t *bits);
void display_grey8(const struct panel_bus *bus, uint16_t x, uint16_t y, uint16_t w, uint16_t h, const uint8_t *px);
void display_rgb565(const struct panel_bus *bus, uint16_t x, uint16_t y, uint16_t w, uint16_t h, const uint8_t *px);
/* Text in the built-in font, each font pixel drawn scale×scale; clipped to the panel. Returns the width drawn. */
uint16_t display_text(const struct panel_bus *bus, uint16_t x, uint16_t y, uint8_t scale, uint16_t fg, uint16_t bg,
                      const char *text);
/* Width text would take. */
uint16_t display_text_width(const char *text, uint8_t scale);
#endif
