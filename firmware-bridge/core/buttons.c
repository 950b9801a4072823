#include "buttons.h"
#include "clock.h"
#include <string.h>

void buttons_init(struct buttons *bs)
{
    memset(bs, 0, sizeof *bs);
}

uint8_t buttons_sample(struct buttons *bs, uint8_t raw, uint32_t now)
{
    uint8_t pressed = 0;
    for (unsigned i = 0; i < BUTTON_COUNT; i++) {
        struct button_state *b = &bs->b[i];
        bool level = (raw >> i) & 1u;
        if (!bs->started) { /* first sample: take it as the stable state, unarmed */
            b->raw = b->stable = level;
            b->since = now;
            b->armed = !level;
            continue;
        }
        if (level != b->raw) {
            b->raw = level;
            b->since = now;
        }
        if (b->raw != b->stable && ms_since(now, b->since) >= DEBOUNCE_MS) {
            b->stable = b->raw;
            if (!b->stable)
                b->armed = true;
            else if (b->armed)
                pressed |= (uint8_t)(1u << i);
        }
    }
    bs->started = true;
    return pressed;
}
