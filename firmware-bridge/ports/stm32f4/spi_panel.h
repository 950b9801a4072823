/* The ILI9341's bus: SPI1 (SCK, MOSI) plus the CS, D/C and reset GPIOs, as the core's panel_bus. */
#ifndef STM32F4_SPI_PANEL_H
#define STM32F4_SPI_PANEL_H
#include "ili9341.h"

/* SPI1 master, mode 0, 8 bit, f_PCLK2 / 16 (6 MHz at APB2 96 MHz). Call after pins_init. */
void spi_init(void);
/* The panel_bus over SPI1; its delay is the SysTick delay_ms. */
struct panel_bus spi_panel_bus(void);
#endif
