#include "ili9341_emu.h"
#include <string.h>

static void power_on_state(struct ili9341_emu *e)
{
    /* Datasheet 11.2 ("default values"): sleep in, display off, 18-bit colour, MADCTL 0, full window. */
    e->display_on = false;
    e->sleeping = true;
    e->madctl = 0;
    e->colmod = 0x66;
    e->sc = 0;
    e->ec = EMU_W - 1;
    e->sp = 0;
    e->ep = EMU_H - 1;
    e->writing = false;
    e->npix = 0;
    e->nparams = 0;
}

void emu_init(struct ili9341_emu *e)
{
    memset(e, 0, sizeof *e);
    power_on_state(e);
}

void emu_select(struct ili9341_emu *e, bool selected)
{
    e->selected = selected;
    if (!selected)
        e->npix = 0; /* a partial pixel is lost when CS goes high */
}

void emu_dc(struct ili9341_emu *e, bool data)
{
    e->data = data;
}

void emu_reset(struct ili9341_emu *e, bool asserted)
{
    if (asserted && !e->in_reset)
        power_on_state(e);
    e->in_reset = asserted;
}

/* Logical (column, page) in the current MADCTL → glass position. */
static bool glass_xy(const struct ili9341_emu *e, unsigned c, unsigned p, unsigned *x, unsigned *y)
{
    unsigned gx = c, gy = p;
    if (e->madctl & 0x20) { /* MV: rows and columns exchanged */
        gx = p;
        gy = c;
    }
    if (gx >= EMU_W || gy >= EMU_H)
        return false;
    *x = (e->madctl & 0x40) ? gx : EMU_W - 1 - gx; /* the module's source driver is mirrored: MX makes it upright */
    *y = (e->madctl & 0x80) ? EMU_H - 1 - gy : gy;
    return true;
}

static void put_pixel(struct ili9341_emu *e, uint16_t colour)
{
    unsigned x, y;
    if (glass_xy(e, e->col, e->page, &x, &y)) {
        /* the glass is BGR: with MADCTL BGR clear, red and blue trade places */
        if (!(e->madctl & 0x08))
            colour = (uint16_t)(((colour & 0x1F) << 11) | (colour & 0x07E0) | (colour >> 11));
        e->gram[y * EMU_W + x] = colour;
        e->dirty = true;
    } else {
        e->errors++;
    }
    e->pixels++;
    if (e->col < e->ec) {
        e->col++;
    } else {
        e->col = e->sc;
        e->page = e->page < e->ep ? (uint16_t)(e->page + 1) : e->sp;
    }
}

static void command(struct ili9341_emu *e, uint8_t cmd)
{
    e->cmd = cmd;
    e->nparams = 0;
    e->writing = false;
    e->npix = 0;
    e->commands++;
    switch (cmd) {
    case 0x01: power_on_state(e); break;          /* SWRESET */
    case 0x10: e->sleeping = true; break;         /* SLPIN */
    case 0x11: e->sleeping = false; break;        /* SLPOUT */
    case 0x28: e->display_on = false; break;      /* DISPOFF */
    case 0x29: e->display_on = true; break;       /* DISPON */
    case 0x2C:                                    /* RAMWR */
        e->writing = true;
        e->col = e->sc;
        e->page = e->sp;
        break;
    default: break;
    }
}

static void parameter(struct ili9341_emu *e, uint8_t b)
{
    if (e->writing) {
        unsigned bytes_per_pixel = (e->colmod & 0x0F) == 0x05 ? 2u : 3u;
        e->pix[e->npix++] = b;
        if (e->npix < bytes_per_pixel)
            return;
        e->npix = 0;
        unsigned colour = bytes_per_pixel == 2
                              ? ((unsigned)e->pix[0] << 8) | e->pix[1]
                              : ((e->pix[0] & 0xF8u) << 8) | ((e->pix[1] & 0xFCu) << 3) | (e->pix[2] >> 3u);
        put_pixel(e, (uint16_t)colour);
        return;
    }
    if (e->nparams < sizeof e->params)
        e->params[e->nparams] = b;
    e->nparams++;
    switch (e->cmd) {
    case 0x2A: /* CASET */
    case 0x2B: /* PASET */
        if (e->nparams == 4) {
            uint16_t s = (uint16_t)((e->params[0] << 8) | e->params[1]);
            uint16_t end = (uint16_t)((e->params[2] << 8) | e->params[3]);
            if (s > end)
                e->errors++;
            if (e->cmd == 0x2A) {
                e->sc = s;
                e->ec = end;
            } else {
                e->sp = s;
                e->ep = end;
            }
        }
        break;
    case 0x36: if (e->nparams == 1) e->madctl = b; break;
    case 0x3A: if (e->nparams == 1) e->colmod = b; break;
    default: break;
    }
}

void emu_write(struct ili9341_emu *e, const uint8_t *bytes, size_t len)
{
    if (!e->selected || e->in_reset)
        return;
    for (size_t i = 0; i < len; i++) {
        if (e->data)
            parameter(e, bytes[i]);
        else
            command(e, bytes[i]);
    }
}

void emu_pixel_rgb(const struct ili9341_emu *e, unsigned x, unsigned y, uint8_t rgb[3])
{
    if (!e->display_on || e->sleeping || x >= EMU_W || y >= EMU_H) {
        rgb[0] = rgb[1] = rgb[2] = 0;
        return;
    }
    uint16_t c = e->gram[y * EMU_W + x];
    /* stored as RGB565 the glass shows; expand 5/6 bits to 8 */
    uint8_t r = (uint8_t)((c >> 11) & 0x1F), g = (uint8_t)((c >> 5) & 0x3F), b = (uint8_t)(c & 0x1F);
    rgb[0] = (uint8_t)((r << 3) | (r >> 2));
    rgb[1] = (uint8_t)((g << 2) | (g >> 4));
    rgb[2] = (uint8_t)((b << 3) | (b >> 2));
}

void emu_render_rgb(const struct ili9341_emu *e, uint8_t *out)
{
    for (unsigned y = 0; y < EMU_H; y++)
        for (unsigned x = 0; x < EMU_W; x++)
            emu_pixel_rgb(e, x, y, out + (y * EMU_W + x) * 3u);
}
