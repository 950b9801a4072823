#include "display.h"
#include <string.h>
#include "font5x7.h"

#define CHUNK_PIXELS 64u

bool display_rect_ok(uint16_t x, uint16_t y, uint16_t w, uint16_t h)
{
    return w >= 1 && h >= 1 && (uint32_t)x + w <= PANEL_WIDTH && (uint32_t)y + h <= PANEL_HEIGHT;
}

/* Collects pixels and writes them CHUNK_PIXELS at a time. */
struct pixel_sink {
    const struct panel_bus *bus;
    uint8_t buf[CHUNK_PIXELS * 2];
    unsigned n;
};

static void sink_put(struct pixel_sink *s, uint16_t colour)
{
    s->buf[s->n * 2] = (uint8_t)(colour >> 8);
    s->buf[s->n * 2 + 1] = (uint8_t)colour;
    if (++s->n == CHUNK_PIXELS) {
        ili9341_pixels(s->bus, s->buf, sizeof s->buf);
        s->n = 0;
    }
}

static void sink_flush(struct pixel_sink *s)
{
    if (s->n)
        ili9341_pixels(s->bus, s->buf, s->n * 2u);
    s->n = 0;
    ili9341_end(s->bus);
}

void display_fill(const struct panel_bus *bus, uint16_t x, uint16_t y, uint16_t w, uint16_t h, uint16_t colour)
{
    struct pixel_sink s = {.bus = bus, .n = 0};
    ili9341_window(bus, x, y, w, h);
    for (uint32_t i = 0; i < (uint32_t)w * h; i++)
        sink_put(&s, colour);
    sink_flush(&s);
}

void display_bitmap1(const struct panel_bus *bus, uint16_t x, uint16_t y, uint16_t w, uint16_t h, uint16_t fg,
                     uint16_t bg, const uint8_t *bits)
{
    struct pixel_sink s = {.bus = bus, .n = 0};
    size_t stride = (w + 7u) / 8u;
    ili9341_window(bus, x, y, w, h);
    for (uint16_t row = 0; row < h; row++)
        for (uint16_t col = 0; col < w; col++)
            sink_put(&s, (bits[row * stride + col / 8u] & (0x80u >> (col % 8u))) ? fg : bg);
    sink_flush(&s);
}

void display_grey8(const struct panel_bus *bus, uint16_t x, uint16_t y, uint16_t w, uint16_t h, const uint8_t *px)
{
    struct pixel_sink s = {.bus = bus, .n = 0};
    ili9341_window(bus, x, y, w, h);
    for (uint32_t i = 0; i < (uint32_t)w * h; i++)
        sink_put(&s, RGB565(px[i], px[i], px[i]));
    sink_flush(&s);
}

void display_rgb565(const struct panel_bus *bus, uint16_t x, uint16_t y, uint16_t w, uint16_t h, const uint8_t *px)
{
    ili9341_window(bus, x, y, w, h);
    ili9341_pixels(bus, px, (size_t)w * h * 2u);
    ili9341_end(bus);
}

uint16_t display_text_width(const char *text, uint8_t scale)
{
    return (uint16_t)(strlen(text) * 6u * scale);
}

uint16_t display_text(const struct panel_bus *bus, uint16_t x, uint16_t y, uint8_t scale, uint16_t fg, uint16_t bg,
                      const char *text)
{
    uint16_t cell_w = (uint16_t)(6u * scale), cell_h = (uint16_t)(8u * scale);
    uint16_t drawn = 0;
    for (const char *c = text; *c; c++) {
        if ((uint32_t)x + drawn + cell_w > PANEL_WIDTH || (uint32_t)y + cell_h > PANEL_HEIGHT)
            break;
        const uint8_t *g = font5x7_glyph(*c);
        struct pixel_sink s = {.bus = bus, .n = 0};
        ili9341_window(bus, (uint16_t)(x + drawn), y, cell_w, cell_h);
        for (uint16_t py = 0; py < cell_h; py++)
            for (uint16_t px = 0; px < cell_w; px++) {
                uint16_t col = (uint16_t)(px / scale), row = (uint16_t)(py / scale);
                bool ink = col < 5 && row < 7 && (g[col] >> row) & 1u;
                sink_put(&s, ink ? fg : bg);
            }
        sink_flush(&s);
        drawn = (uint16_t)(drawn + cell_w);
    }
    return drawn;
}
