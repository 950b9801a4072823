/* LED and buzzer patterns: fixed on/off step tables evaluated against time, no timers of their own. */
#ifndef BRIDGE_PATTERN_H
#define BRIDGE_PATTERN_H
#include <stdbool.h>
#include <stdint.h>

enum led_pattern { LED_OFF = 0, LED_ON = 1, LED_SLOW = 2, LED_FAST = 3, LED_FLASH = 4, LED_COUNT, LED_UNCHANGED = 0xFF };
enum buzzer_pattern { BUZZ_SILENT = 0, BUZZ_OK = 1, BUZZ_ATTENTION = 2, BUZZ_ERROR = 3, BUZZ_LONG = 4, BUZZ_COUNT };

struct pattern_player {
    uint8_t pattern;
    uint32_t start;
};

/* LED: true = lit at `now`. */
bool led_pattern_on(const struct pattern_player *p, uint32_t now);
/* Buzzer: tone in Hz at `now`, 0 = silent. */
uint16_t buzzer_pattern_hz(const struct pattern_player *p, uint32_t now);
#endif
