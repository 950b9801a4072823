/* The buzzer: TIM3 CH1 PWM at a 1 MHz timer tick. */
#ifndef STM32F4_BUZZER_H
#define STM32F4_BUZZER_H
#include <stdint.h>
#include "sysclock.h"

void buzzer_init(const struct clock_rates *rates);
/* bridge_port.buzzer: a square wave at `hz`, 0 = silent. */
void buzzer(void *ctx, uint16_t hz);
#endif
