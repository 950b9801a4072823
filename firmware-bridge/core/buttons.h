/* Debounced push buttons. A press counts once the pin has been stable for DEBOUNCE_MS, and only after the button
 * was first seen released: a button held (or shorted, or unmodelled and reading 0 as in QEMU) at boot never fires. */
#ifndef BRIDGE_BUTTONS_H
#define BRIDGE_BUTTONS_H
#include <stdbool.h>
#include <stdint.h>

#define BUTTON_COUNT 2u
#define DEBOUNCE_MS 30u

struct button_state {
    bool stable;   /* debounced: true = pressed */
    bool raw;      /* last sample */
    bool armed;    /* seen released since boot */
    uint32_t since; /* when raw last changed */
};

struct buttons {
    struct button_state b[BUTTON_COUNT];
    bool started;
};

void buttons_init(struct buttons *bs);
/* raw bit i = button i+1 pressed now. Returns a bit mask of buttons newly pressed (debounced). */
uint8_t buttons_sample(struct buttons *bs, uint8_t raw, uint32_t now);
#endif
