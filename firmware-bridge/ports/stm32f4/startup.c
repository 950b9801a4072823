/* Vector table and reset for the STM32F411 (RM0383 §10.2, table 37: 86 maskable interrupts). */
#include <stdint.h>
#include "regs.h"

extern uint32_t _estack, _sidata, _sdata, _edata, _sbss, _ebss;
int main(void);
void reset_handler(void);
void default_handler(void);
void systick_handler(void);
void usart1_handler(void);
void usart2_handler(void);

void reset_handler(void)
{
    for (uint32_t *src = &_sidata, *dst = &_sdata; dst < &_edata;)
        *dst++ = *src++;
    for (uint32_t *dst = &_sbss; dst < &_ebss;)
        *dst++ = 0;
    main();
    for (;;) {
    }
}

/* A fault or stray interrupt: reset the chip rather than hang (the host sees a fresh BANNER and says HELLO). */
void default_handler(void)
{
    SCB_AIRCR = 0x05FA0004u; /* VECTKEY | SYSRESETREQ */
    for (;;) {
    }
}

#define VECTORS (16u + 86u)
#pragma GCC diagnostic ignored "-Woverride-init" /* defaults first, then the handlers we have */
__attribute__((section(".isr_vector"), used)) static void (*const vector_table[VECTORS])(void) = {
    [0] = (void (*)(void))(uintptr_t)&_estack,
    [1] = reset_handler,
    [2 ... VECTORS - 1] = default_handler,
    [15] = systick_handler,
    [16 + IRQ_USART1] = usart1_handler,
    [16 + IRQ_USART2] = usart2_handler,
};
