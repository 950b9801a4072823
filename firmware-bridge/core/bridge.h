/* The bridge application: host link, scanner, buttons, panel, LEDs and buzzer, driven by a port.
 * Single-threaded: the port calls these from its main loop (never from an interrupt). */
#ifndef BRIDGE_BRIDGE_H
#define BRIDGE_BRIDGE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "buttons.h"
#include "frame.h"
#include "ili9341.h"
#include "link.h"
#include "pattern.h"
#include "scanner.h"

struct bridge_port {
    void *ctx;
    void (*host_write)(void *ctx, const uint8_t *data, size_t len);
    struct panel_bus panel;
    void (*leds)(void *ctx, bool green, bool red);
    void (*buzzer)(void *ctx, uint16_t hz); /* 0 = silent */
    void (*scanner_baud)(void *ctx, uint32_t baud); /* may be NULL */
    void (*screen_done)(void *ctx, uint16_t screen); /* may be NULL: SCREEN_END drawn, called before its ACK */
};

enum host_state { HOST_WAITING, HOST_ONLINE, HOST_OFFLINE, HOST_MISMATCH };

struct bridge_stats {
    uint32_t frames_in, bad_frames_in, scans, dropped, drops_unreported, buttons, scans_while_offline;
};

struct bridge {
    const struct bridge_port *port;
    struct link link;
    struct frame_rx rx;
    struct scanner scanner;
    struct buttons buttons;
    struct pattern_player led_green, led_red, buzzer;
    bool out_green, out_red;
    uint16_t out_hz;
    enum host_state host;
    bool banner_due;       /* send a BANNER on the next host frame: the host must say HELLO again */
    uint32_t last_host_rx;
    uint32_t last_drop_report;
    bool drop_reported;
    uint32_t last_overrun_report;
    bool overrun_reported;
    uint8_t scan_id;
    uint16_t screen;
    struct bridge_stats stats;
};

void bridge_init(struct bridge *b, const struct bridge_port *port, uint32_t now);
void bridge_host_bytes(struct bridge *b, const uint8_t *data, size_t len, uint32_t now);
void bridge_host_overrun(struct bridge *b, uint32_t now);
void bridge_scanner_bytes(struct bridge *b, const uint8_t *data, size_t len, uint32_t now);
void bridge_scanner_error(struct bridge *b, uint32_t now);
/* raw bit 0 = YES pressed, bit 1 = NO pressed. */
void bridge_buttons(struct bridge *b, uint8_t raw, uint32_t now);
void bridge_poll(struct bridge *b, uint32_t now);
#endif
