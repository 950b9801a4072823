/* ILI9341 panel driver over a 4-wire SPI bus (CS, D/C, SCK, MOSI) plus reset: the command subset we need.
 * Command numbers and parameters: ILI9341 datasheet v1.11, section 8 ("Command"). */
#ifndef BRIDGE_ILI9341_H
#define BRIDGE_ILI9341_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PANEL_WIDTH 240u
#define PANEL_HEIGHT 320u

#define ILI_SWRESET 0x01u
#define ILI_SLPOUT 0x11u
#define ILI_DISPOFF 0x28u
#define ILI_DISPON 0x29u
#define ILI_CASET 0x2Au
#define ILI_PASET 0x2Bu
#define ILI_RAMWR 0x2Cu
#define ILI_MADCTL 0x36u
#define ILI_COLMOD 0x3Au
#define ILI_PWCTR1 0xC0u
#define ILI_PWCTR2 0xC1u
#define ILI_VMCTR1 0xC5u
#define ILI_VMCTR2 0xC7u

#define MADCTL_MY 0x80u
#define MADCTL_MX 0x40u
#define MADCTL_MV 0x20u
#define MADCTL_BGR 0x08u

struct panel_bus {
    void *ctx;
    void (*select)(void *ctx, bool selected); /* CS low while selected */
    void (*dc)(void *ctx, bool data);         /* D/C: low = command, high = data */
    void (*write)(void *ctx, const uint8_t *bytes, size_t len);
    void (*reset)(void *ctx, bool asserted);  /* RESX low while asserted */
    void (*delay_ms)(void *ctx, uint32_t ms);
};

void ili9341_init(const struct panel_bus *bus);
/* Opens the memory window [x, x+w) × [y, y+h) and starts RAMWR; follow with ili9341_pixels, end with ili9341_end. */
void ili9341_window(const struct panel_bus *bus, uint16_t x, uint16_t y, uint16_t w, uint16_t h);
/* RGB565 pixels, big-endian byte pairs, as the panel takes them in 16-bit COLMOD. */
void ili9341_pixels(const struct panel_bus *bus, const uint8_t *bytes, size_t len);
void ili9341_end(const struct panel_bus *bus);
#endif
