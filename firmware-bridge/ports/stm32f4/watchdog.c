/* IWDG: LSI 32 kHz / 64 = 500 Hz, reload 1000 → ~2 s (RM0383 §15.3, registers §15.4). */
#include "watchdog.h"
#include "regs.h"

void watchdog_init(void)
{
    IWDG_KR = 0x5555u; /* unlock PR and RLR (§15.4.1) */
    IWDG_PR = 4u;      /* /64 (§15.4.2) */
    IWDG_RLR = 1000u;  /* §15.4.3 */
    IWDG_KR = 0xCCCCu; /* start; the LSI starts with it (§15.3.1) */
}

void watchdog_refresh(void) { IWDG_KR = 0xAAAAu; /* §15.4.1 */ }
