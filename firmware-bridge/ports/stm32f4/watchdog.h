/* Independent watchdog, ~2 s: a main loop that stops refreshing it resets the chip (RM0383 §15). */
#ifndef STM32F4_WATCHDOG_H
#define STM32F4_WATCHDOG_H

void watchdog_init(void);
void watchdog_refresh(void);
#endif
