/* USART2 = host link (the ST-LINK virtual COM port), USART1 = scanner engine; receive through interrupt-fed rings. */
#ifndef STM32F4_USART_H
#define STM32F4_USART_H
#include <stddef.h>
#include <stdint.h>
#include "ring.h"

extern struct ring host_rx, scanner_rx;

/* 8N1 at `baud` from the peripheral clock `pclk`, receive interrupt on; (re)configures a running USART too. */
void usart_init(uint32_t base, uint32_t pclk, uint32_t baud, uint32_t irq);
/* Blocking write, each byte's wait on TXE bounded. */
void usart_write(uint32_t base, const uint8_t *data, size_t len);
void usart1_handler(void);
void usart2_handler(void);
#endif
