#include "ili9341.h"

static void command(const struct panel_bus *bus, uint8_t cmd, const uint8_t *params, size_t n)
{
    bus->select(bus->ctx, true);
    bus->dc(bus->ctx, false);
    bus->write(bus->ctx, &cmd, 1);
    if (n) {
        bus->dc(bus->ctx, true);
        bus->write(bus->ctx, params, n);
    }
    bus->select(bus->ctx, false);
}

void ili9341_init(const struct panel_bus *bus)
{
    /* Hardware reset: RESX low ≥ 10 µs, then up to 120 ms before commands (datasheet 15.4). */
    bus->reset(bus->ctx, true);
    bus->delay_ms(bus->ctx, 1);
    bus->reset(bus->ctx, false);
    bus->delay_ms(bus->ctx, 120);
    command(bus, ILI_SWRESET, 0, 0);
    bus->delay_ms(bus->ctx, 5);
    static const uint8_t pwctr1[] = {0x23}, pwctr2[] = {0x10}, vmctr1[] = {0x3E, 0x28}, vmctr2[] = {0x86};
    command(bus, ILI_PWCTR1, pwctr1, sizeof pwctr1);
    command(bus, ILI_PWCTR2, pwctr2, sizeof pwctr2);
    command(bus, ILI_VMCTR1, vmctr1, sizeof vmctr1);
    command(bus, ILI_VMCTR2, vmctr2, sizeof vmctr2);
    /* Portrait, 240 wide, origin top left; panels are wired BGR. */
    static const uint8_t madctl[] = {MADCTL_MX | MADCTL_BGR}, colmod[] = {0x55}; /* 16 bits per pixel */
    command(bus, ILI_MADCTL, madctl, sizeof madctl);
    command(bus, ILI_COLMOD, colmod, sizeof colmod);
    command(bus, ILI_SLPOUT, 0, 0);
    bus->delay_ms(bus->ctx, 120); /* sleep out needs 120 ms before the next SLPIN, 5 ms before others */
    command(bus, ILI_DISPON, 0, 0);
}

void ili9341_window(const struct panel_bus *bus, uint16_t x, uint16_t y, uint16_t w, uint16_t h)
{
    uint16_t x1 = (uint16_t)(x + w - 1), y1 = (uint16_t)(y + h - 1);
    const uint8_t caset[] = {(uint8_t)(x >> 8), (uint8_t)x, (uint8_t)(x1 >> 8), (uint8_t)x1};
    const uint8_t paset[] = {(uint8_t)(y >> 8), (uint8_t)y, (uint8_t)(y1 >> 8), (uint8_t)y1};
    command(bus, ILI_CASET, caset, sizeof caset);
    command(bus, ILI_PASET, paset, sizeof paset);
    bus->select(bus->ctx, true);
    bus->dc(bus->ctx, false);
    const uint8_t ramwr = ILI_RAMWR;
    bus->write(bus->ctx, &ramwr, 1);
    bus->dc(bus->ctx, true);
}

void ili9341_pixels(const struct panel_bus *bus, const uint8_t *bytes, size_t len)
{
    bus->write(bus->ctx, bytes, len);
}

void ili9341_end(const struct panel_bus *bus)
{
    bus->select(bus->ctx, false);
}
