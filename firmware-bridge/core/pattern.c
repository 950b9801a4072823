#include "pattern.h"
#include "clock.h"

struct steps {
    uint16_t ms[6]; /* on, off, on, off, ... (ms) */
    uint8_t n;
    bool repeat;
    uint16_t hz;
};

/* Whether a step table is "on" at t ms after it started. */
static bool steps_on(const struct steps *s, uint32_t t)
{
    uint32_t total = 0;
    for (uint8_t i = 0; i < s->n; i++)
        total += s->ms[i];
    if (total == 0)
        return false;
    if (s->repeat)
        t %= total;
    else if (t >= total)
        return false;
    for (uint8_t i = 0; i < s->n; i++) {
        if (t < s->ms[i])
            return (i & 1u) == 0;
        t -= s->ms[i];
    }
    return false;
}

static const struct steps LED_STEPS[LED_COUNT] = {
    [LED_OFF] = {{0}, 0, false, 0},
    [LED_ON] = {{1, 0}, 2, true, 0}, /* handled below: always on */
    [LED_SLOW] = {{500, 500}, 2, true, 0},
    [LED_FAST] = {{125, 125}, 2, true, 0},
    [LED_FLASH] = {{300}, 1, false, 0},
};

static const struct steps BUZZ_STEPS[BUZZ_COUNT] = {
    [BUZZ_SILENT] = {{0}, 0, false, 0},
    [BUZZ_OK] = {{80}, 1, false, 2700},
    [BUZZ_ATTENTION] = {{120, 120, 120}, 3, false, 2700},
    [BUZZ_ERROR] = {{200, 100, 200, 100, 200}, 5, false, 1000},
    [BUZZ_LONG] = {{600}, 1, false, 1000},
};

bool led_pattern_on(const struct pattern_player *p, uint32_t now)
{
    if (p->pattern == LED_ON)
        return true;
    if (p->pattern >= LED_COUNT)
        return false;
    return steps_on(&LED_STEPS[p->pattern], ms_since(now, p->start));
}

uint16_t buzzer_pattern_hz(const struct pattern_player *p, uint32_t now)
{
    if (p->pattern >= BUZZ_COUNT)
        return 0;
    const struct steps *s = &BUZZ_STEPS[p->pattern];
    return steps_on(s, ms_since(now, p->start)) ? s->hz : 0;
}
