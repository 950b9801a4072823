/* Clocks and time for the stm32f4 port: SYSCLK / APB rates, the 1 ms SysTick, bounded waits on hardware flags. */
#ifndef STM32F4_SYSCLOCK_H
#define STM32F4_SYSCLOCK_H
#include <stdbool.h>
#include <stdint.h>

struct clock_rates {
    uint32_t sysclk_hz, apb1_hz, apb2_hz;
};

/* HSI 16 MHz → PLL 96 MHz, APB1 48 MHz, APB2 96 MHz; on QEMU (no RCC model) the emulator's 168 MHz. Returns the
 * rates actually reached: the baud-rate and timer dividers are computed from them. */
struct clock_rates clock_init(void);
/* SysTick at 1 ms from SYSCLK; millis() counts its interrupts. */
void systick_init(const struct clock_rates *rates);
uint32_t millis(void);
/* A panel_bus delay: waits on millis(), bounded in spins so a stopped SysTick cannot hang the port. */
void delay_ms(void *ctx, uint32_t ms);
/* Waits until (*reg & mask) == value, at most SPIN_LIMIT reads (QEMU models neither RCC nor every flag). */
bool spin_until(volatile uint32_t *reg, uint32_t mask, uint32_t value);
void systick_handler(void);
#endif
