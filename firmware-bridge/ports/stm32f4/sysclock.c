/* Clocks: HSI 16 MHz → PLL 96 MHz, APB1 48 MHz, APB2 96 MHz (RM0383 §6.2, §6.3.2); SysTick (ARMv7-M B3.3). */
#include "sysclock.h"
#include "regs.h"

#define HSI_HZ 16000000u
#define PLL_SYSCLK_HZ 96000000u
/* QEMU's netduinoplus2 models the F405's fixed 168 MHz system clock, which drives SysTick. */
#define EMULATED_SYSCLK_HZ 168000000u
#define SPIN_LIMIT 200000u

static volatile uint32_t ticks_ms;

void systick_handler(void) { ticks_ms++; }

uint32_t millis(void) { return ticks_ms; }

bool spin_until(volatile uint32_t *reg, uint32_t mask, uint32_t value)
{
    for (uint32_t i = 0; i < SPIN_LIMIT; i++)
        if ((*reg & mask) == value)
            return true;
    return false;
}

struct clock_rates clock_init(void)
{
    struct clock_rates r = {HSI_HZ, HSI_HZ, HSI_HZ};
    if (!(RCC_CR & RCC_CR_HSION)) {
        /* HSION reads 1 from reset on silicon: RCC is not there, this is the emulator */
        r.sysclk_hz = r.apb1_hz = r.apb2_hz = EMULATED_SYSCLK_HZ;
        return r;
    }
    RCC_APB1ENR |= RCC_APB1ENR_PWREN;                     /* PWR clock (§6.3.11) */
    PWR_CR |= PWR_CR_VOS_SCALE1;                          /* scale 1 for > 84 MHz, before the PLL (§5.4.1) */
    FLASH_ACR = FLASH_ACR_LATENCY_3WS | FLASH_ACR_PRFTEN | FLASH_ACR_ICEN | FLASH_ACR_DCEN; /* before SYSCLK rises (§3.4.1, §3.8.1) */
    /* PLLM 16 (1 MHz in), PLLN 192 (VCO 192 MHz), PLLP /2 (96 MHz), PLLQ 4 (48 MHz), source HSI (§6.3.2);
     * the reserved bits keep their reset value (§6.3.2: "must be kept at reset value") */
    RCC_PLLCFGR = (RCC_PLLCFGR & RCC_PLLCFGR_RESERVED) | 16u | (192u << 6) | (0u << 16) | (4u << 24);
    RCC_CR |= RCC_CR_PLLON; /* PLLRDY below (§6.3.1); bounded: no RCC model in QEMU */
    if (!spin_until(&RCC_CR, RCC_CR_PLLRDY, RCC_CR_PLLRDY))
        return r; /* stay on HSI: slower, still correct (baud rates are computed from the real clocks) */
    RCC_CFGR = RCC_CFGR_PPRE1_DIV2 | RCC_CFGR_SW_PLL; /* APB1 /2 (≤ 50 MHz), SYSCLK = PLL; SWS below (§6.3.3) */
    if (spin_until(&RCC_CFGR, RCC_CFGR_SWS_MASK, RCC_CFGR_SWS_PLL)) {
        r.sysclk_hz = r.apb2_hz = PLL_SYSCLK_HZ;
        r.apb1_hz = PLL_SYSCLK_HZ / 2u;
    }
    return r;
}

void systick_init(const struct clock_rates *rates)
{
    SYST_RVR = rates->sysclk_hz / 1000u - 1u; /* 1 ms; fits the 24-bit reload at 168 MHz */
    SYST_CVR = 0;
    SYST_CSR = 0x7u; /* ENABLE | TICKINT | CLKSOURCE = processor clock (ARMv7-M B3.3.3) */
}

void delay_ms(void *ctx, uint32_t ms)
{
    (void)ctx;
    uint32_t start = millis();
    for (uint32_t spins = 0; (uint32_t)(millis() - start) < ms && spins < ms * 100000u; spins++)
        __asm__ volatile("nop");
}
