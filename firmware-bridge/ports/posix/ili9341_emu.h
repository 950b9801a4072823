/* An ILI9341 as seen from its SPI pins: interprets the command set (CASET, PASET, RAMWR, MADCTL, COLMOD, SLPOUT,
 * DISPON, SWRESET, hardware reset; other commands' parameters are consumed) into graphic RAM, and renders the glass.
 * It models the common 240×320 modules (BGR-wired, source driver mirrored so MADCTL MX|BGR is upright portrait),
 * so a driver that skips init, colour mode or orientation draws a wrong picture here too. */
#ifndef ILI9341_EMU_H
#define ILI9341_EMU_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EMU_W 240u
#define EMU_H 320u

struct ili9341_emu {
    uint16_t gram[EMU_W * EMU_H]; /* RGB565 as written, indexed by glass position */
    bool selected, data, in_reset, display_on, sleeping;
    uint8_t cmd;
    uint8_t params[4];
    unsigned nparams;
    uint16_t sc, ec, sp, ep, col, page;
    uint8_t madctl, colmod;
    uint8_t pix[3];
    unsigned npix;
    bool writing;
    uint32_t commands, pixels, errors;
    bool dirty;
};

void emu_init(struct ili9341_emu *e);
void emu_select(struct ili9341_emu *e, bool selected);
void emu_dc(struct ili9341_emu *e, bool data);
void emu_write(struct ili9341_emu *e, const uint8_t *bytes, size_t len);
void emu_reset(struct ili9341_emu *e, bool asserted);
/* What the glass shows at (x, y) as RGB888 (black when the display is off or asleep). */
void emu_pixel_rgb(const struct ili9341_emu *e, unsigned x, unsigned y, uint8_t rgb[3]);
/* Whole glass, row-major RGB888 (EMU_W * EMU_H * 3 bytes). */
void emu_render_rgb(const struct ili9341_emu *e, uint8_t *out);
#endif
