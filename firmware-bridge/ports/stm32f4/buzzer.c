/* TIM3 CH1 PWM, 1 MHz timer tick (RM0383 §13.3.9; registers §13.4). */
#include "buzzer.h"
#include "regs.h"

/* TIM3's clock is APB1's, ×2 when APB1 is divided (RM0383 §6.2). */
static uint32_t tim3_hz(const struct clock_rates *r) { return r->apb1_hz == r->sysclk_hz ? r->apb1_hz : r->apb1_hz * 2u; }

void buzzer_init(const struct clock_rates *rates)
{
    RCC_APB1ENR |= RCC_APB1ENR_TIM3EN; /* §6.3.13 */
    TIM3_PSC = tim3_hz(rates) / 1000000u - 1u;
    TIM3_CCMR1 = (6u << 4) | (1u << 3); /* OC1M = PWM mode 1, OC1PE preload */
    TIM3_CCER = 1u;                     /* CC1E */
    TIM3_CCR1 = 0;
    TIM3_ARR = 1000u;
    TIM3_EGR = 1u;
    TIM3_CR1 = (1u << 7) | 1u; /* ARPE | CEN */
}

void buzzer(void *ctx, uint16_t hz)
{
    (void)ctx;
    if (hz == 0) {
        TIM3_CCR1 = 0;
        return;
    }
    uint32_t period = 1000000u / hz;
    TIM3_ARR = period - 1u;  /* preloaded (ARPE): takes effect at the next update, no glitch (§13.3.1) */
    TIM3_CCR1 = period / 2u; /* 50 % duty (§13.4.14) */
}
