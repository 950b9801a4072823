/* GPIO for the board's pin map (boards/nucleo_f411re.h): modes, the LEDs, the buttons, the TFT control lines. */
#ifndef STM32F4_PINS_H
#define STM32F4_PINS_H
#include <stdbool.h>
#include <stdint.h>
#include "nucleo_f411re.h"

/* A board pin is written `PORT_X, n`: these split it. */
#define PORT_OF(port, pin) (port)
#define PIN_OF(port, pin) (pin)
#define PORT(sig) PORT_OF(sig)
#define PIN(sig) PIN_OF(sig)

/* Clocks GPIOA..C and sets every pin of the map: alternate functions, outputs (TFT CS high, backlight on), inputs. */
void pins_init(void);
void gpio_write(uint32_t port, uint32_t pin, bool high);
/* bridge_port.leds */
void leds(void *ctx, bool green, bool red);
/* bit 0 = YES pressed, bit 1 = NO pressed (the buttons pull to GND). */
uint8_t buttons_raw(void);
#endif
