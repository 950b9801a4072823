/* SPI1 master, mode 0, 8 bit, f_PCLK2 / 16 = 6 MHz (ILI9341 write cycle ≥ 100 ns) (RM0383 §20.3.3). */
#include "spi_panel.h"
#include "pins.h"
#include "regs.h"
#include "sysclock.h"

void spi_init(void)
{
    RCC_APB2ENR |= RCC_APB2ENR_SPI1EN; /* §6.3.14 */
    SPI_CR1 = SPI_CR1_MSTR | SPI_CR1_BR_DIV16 | SPI_CR1_SSM | SPI_CR1_SSI; /* CPOL 0, CPHA 0, 8 bit, MSB first (§20.5.1) */
    SPI_CR1 |= SPI_CR1_SPE;
}

static void spi_drain(void)
{
    spin_until(&SPI_SR, SPI_SR_TXE, SPI_SR_TXE);
    spin_until(&SPI_SR, SPI_SR_BSY, 0); /* the last bit is out before D/C or CS change (§20.3.8) */
}

static void p_select(void *ctx, bool selected)
{
    (void)ctx;
    spi_drain();
    gpio_write(PORT(PIN_TFT_CS), PIN(PIN_TFT_CS), !selected);
}
static void p_dc(void *ctx, bool data)
{
    (void)ctx;
    spi_drain();
    gpio_write(PORT(PIN_TFT_DC), PIN(PIN_TFT_DC), data);
}
static void p_write(void *ctx, const uint8_t *bytes, size_t len)
{
    (void)ctx;
    for (size_t i = 0; i < len; i++) {
        spin_until(&SPI_SR, SPI_SR_TXE, SPI_SR_TXE); /* TXE: DR may take the next byte (§20.5.3, bounded) */
        SPI_DR = bytes[i];                            /* §20.5.4 */
    }
}
static void p_reset(void *ctx, bool asserted)
{
    (void)ctx;
    gpio_write(PORT(PIN_TFT_RESET), PIN(PIN_TFT_RESET), !asserted);
}

struct panel_bus spi_panel_bus(void)
{
    return (struct panel_bus){0, p_select, p_dc, p_write, p_reset, delay_ms};
}
