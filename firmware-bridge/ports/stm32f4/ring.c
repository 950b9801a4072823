#include "ring.h"

void ring_put(struct ring *r, uint8_t b)
{
    uint16_t next = (uint16_t)((r->head + 1u) & (r->size - 1u));
    if (next == r->tail) {
        r->overflows++;
        return;
    }
    r->buf[r->head] = b;
    r->head = next;
}

size_t ring_take(struct ring *r, uint8_t *out, size_t max)
{
    size_t n = 0;
    while (n < max && r->tail != r->head) {
        out[n++] = r->buf[r->tail];
        r->tail = (uint16_t)((r->tail + 1u) & (r->size - 1u));
    }
    return n;
}
