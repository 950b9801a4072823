/* Millisecond time as the ports give it: a free-running uint32_t that wraps every 49.7 days. */
#ifndef BRIDGE_CLOCK_H
#define BRIDGE_CLOCK_H
#include <stdint.h>

/* Milliseconds from `then` to `now`, wrap-safe; 0 if `then` is (slightly) after `now` — a port may stamp an event
 * with a fresher clock reading than the one it later polls with, and that must not look like 49 days. */
static inline uint32_t ms_since(uint32_t now, uint32_t then)
{
    int32_t d = (int32_t)(now - then);
    return d > 0 ? (uint32_t)d : 0u;
}
#endif
