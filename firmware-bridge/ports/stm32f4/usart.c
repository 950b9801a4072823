/* USART (RM0383 §19.3.4: BRR = f_PCLK / baud with 16× oversampling, 4 fraction bits; registers §19.6). */
#include "usart.h"
#include "regs.h"
#include "sysclock.h"

#define HOST_RING 8192u /* ≥ 2 × the 4096-byte window: a full window never overflows it */
/* The main loop is busy while it draws: a full-panel FILL_RECT is 153,600 bytes of SPI at 6 MHz ≈ 205 ms, during
 * which a 115200-baud engine delivers ≈ 2.4 KB. 4096 bytes cover 355 ms at 115200 (a power of two: index masks). */
#define SCANNER_RING 4096u

static uint8_t host_buf[HOST_RING], scanner_buf[SCANNER_RING];
struct ring host_rx = {host_buf, HOST_RING, 0, 0, 0, 0};
struct ring scanner_rx = {scanner_buf, SCANNER_RING, 0, 0, 0, 0};

static void usart_irq(uint32_t base, struct ring *r)
{
    uint32_t sr = USART_SR(base);
    uint8_t b = (uint8_t)USART_DR(base); /* reading SR then DR clears RXNE, ORE, NF, FE (RM0383 §19.6.1) */
    if (sr & (USART_SR_ORE | USART_SR_FE | USART_SR_NF))
        r->errors++;
    if (sr & USART_SR_RXNE)
        ring_put(r, b);
}

void usart1_handler(void) { usart_irq(USART1_BASE, &scanner_rx); }
void usart2_handler(void) { usart_irq(USART2_BASE, &host_rx); }

void usart_init(uint32_t base, uint32_t pclk, uint32_t baud, uint32_t irq)
{
    USART_CR1(base) = 0;
    USART_BRR(base) = (pclk + baud / 2u) / baud;
    USART_CR2(base) = 0; /* 1 stop bit */
    USART_CR3(base) = 0; /* no flow control */
    USART_CR1(base) = USART_CR1_UE | USART_CR1_TE | USART_CR1_RE | USART_CR1_RXNEIE; /* 8N1 */
    NVIC_ISER(irq / 32u) = 1u << (irq % 32u); /* enable the USART's IRQ line (ARMv7-M B3.4.4; numbers §10.2) */
}

void usart_write(uint32_t base, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        spin_until(&USART_SR(base), USART_SR_TXE, USART_SR_TXE); /* TXE (§19.6.1), bounded */
        USART_DR(base) = data[i];                                  /* §19.6.2 */
    }
}
