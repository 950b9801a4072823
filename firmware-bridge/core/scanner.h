/* Scanner-engine line assembly: terminator or idle gap ends a scan; AIM id stripped; bounded length; noise. */
#ifndef BRIDGE_SCANNER_H
#define BRIDGE_SCANNER_H
#include <stdbool.h>
#include <stdint.h>
#include "proto.h"

#define TERM_CR 0x01u
#define TERM_LF 0x02u
#define TERM_TAB 0x04u
#define TERM_ETX 0x08u
#define SCAN_FLAG_STRIP_AIM 0x01u

struct scanner_config {
    uint8_t terminators;
    uint8_t flags;
    uint16_t idle_ms;
    uint16_t max_len;
    uint32_t baud;
};

enum scan_event_kind { SCAN_EVENT_NONE, SCAN_EVENT_SCAN, SCAN_EVENT_DROPPED };

struct scan_event {
    enum scan_event_kind kind;
    uint8_t symbology;    /* SCAN */
    const uint8_t *data;  /* SCAN: valid until the next scanner call */
    uint16_t len;         /* SCAN: data length */
    uint8_t reason;       /* DROPPED: enum drop_reason */
    uint32_t seen;        /* DROPPED: bytes seen in the line */
};

struct scanner {
    struct scanner_config cfg;
    uint8_t buf[SCAN_MAX_LEN];
    uint16_t len;
    uint32_t seen;
    uint32_t last_at;
    bool noise;
};

void scanner_default_config(struct scanner_config *cfg);
/* NAK_NONE, or NAK_BAD_VALUE if a field is out of range (see the protocol doc). */
uint8_t scanner_check_config(const struct scanner_config *cfg);
void scanner_init(struct scanner *s, const struct scanner_config *cfg);
/* One byte from the engine. Returns true and fills *ev when a line ended. */
bool scanner_feed(struct scanner *s, uint8_t byte, uint32_t now, struct scan_event *ev);
/* A UART framing / overrun / noise error: the line in progress is noise. */
void scanner_error(struct scanner *s, uint32_t now);
/* Time passes: the idle gap may end or abandon the line. */
bool scanner_poll(struct scanner *s, uint32_t now, struct scan_event *ev);
#endif
