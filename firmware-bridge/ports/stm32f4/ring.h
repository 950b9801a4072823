/* Interrupt-fed receive rings: single producer (the USART interrupt), single consumer (the main loop).
 * Sizes are powers of two (index masks). */
#ifndef STM32F4_RING_H
#define STM32F4_RING_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ring {
    uint8_t *buf;
    uint16_t size; /* a power of two */
    volatile uint16_t head, tail;
    volatile uint16_t overflows, errors; /* bytes lost for want of room; line errors (overrun, framing, noise) */
};

/* From the interrupt: store one byte, or count an overflow when full. */
void ring_put(struct ring *r, uint8_t b);
/* From the main loop: up to `max` bytes into `out`; returns how many. */
size_t ring_take(struct ring *r, uint8_t *out, size_t max);
static inline bool ring_empty(const struct ring *r) { return r->head == r->tail; }
#endif
