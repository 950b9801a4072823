#include "bridge.h"
#include "clock.h"
#include <string.h>
#include "display.h"
#include "proto.h"

#define DROP_REPORT_GAP_MS 250u
#define OVERRUN_REPORT_GAP_MS 1000u

static void host_write(void *ctx, const uint8_t *data, size_t len)
{
    const struct bridge *b = ctx;
    b->port->host_write(b->port->ctx, data, len);
}

/* ---- screens of the firmware's own ---- */

static void centred(struct bridge *b, uint16_t y, uint8_t scale, uint16_t fg, uint16_t bg, const char *text)
{
    uint16_t w = display_text_width(text, scale);
    uint16_t x = w < PANEL_WIDTH ? (uint16_t)((PANEL_WIDTH - w) / 2u) : 0;
    display_text(&b->port->panel, x, y, scale, fg, bg, text);
}

static void message_screen(struct bridge *b, uint16_t band, const char *title, const char *line1, const char *line2)
{
    const struct panel_bus *p = &b->port->panel;
    display_fill(p, 0, 0, PANEL_WIDTH, PANEL_HEIGHT, COLOUR_BLACK);
    display_fill(p, 0, 0, PANEL_WIDTH, 72, band);
    centred(b, 22, 3, COLOUR_WHITE, band, title);
    if (line1)
        centred(b, 120, 2, COLOUR_WHITE, COLOUR_BLACK, line1);
    if (line2)
        centred(b, 150, 2, COLOUR_WHITE, COLOUR_BLACK, line2);
    centred(b, 296, 1, COLOUR_GREY, COLOUR_BLACK, "PROOFDESK BRIDGE " FW_VERSION " PROTO " PROTO_VERSION_TEXT);
}

/* ---- outputs ---- */

static void set_leds(struct bridge *b, uint8_t green, uint8_t red, uint32_t now)
{
    if (green != LED_UNCHANGED) {
        b->led_green.pattern = green;
        b->led_green.start = now;
    }
    if (red != LED_UNCHANGED) {
        b->led_red.pattern = red;
        b->led_red.start = now;
    }
}

static void set_buzzer(struct bridge *b, uint8_t pattern, uint32_t now)
{
    b->buzzer.pattern = pattern;
    b->buzzer.start = now;
}

static void update_outputs(struct bridge *b, uint32_t now)
{
    bool g = led_pattern_on(&b->led_green, now), r = led_pattern_on(&b->led_red, now);
    if (g != b->out_green || r != b->out_red) {
        b->out_green = g;
        b->out_red = r;
        b->port->leds(b->port->ctx, g, r);
    }
    uint16_t hz = buzzer_pattern_hz(&b->buzzer, now);
    if (hz != b->out_hz) {
        b->out_hz = hz;
        b->port->buzzer(b->port->ctx, hz);
    }
}

/* ---- host state ---- */

static void queue_banner(struct bridge *b, uint32_t now)
{
    uint8_t p[1 + sizeof FW_VERSION - 1];
    p[0] = PROTO_VERSION;
    memcpy(p + 1, FW_VERSION, sizeof FW_VERSION - 1);
    link_reset_tx(&b->link);
    link_queue(&b->link, T_BANNER, p, sizeof p, now);
    b->banner_due = false;
}

static void go_offline(struct bridge *b, uint32_t now)
{
    link_reset_tx(&b->link);
    b->banner_due = true;
    if (b->host == HOST_ONLINE) {
        b->host = HOST_OFFLINE;
        message_screen(b, COLOUR_RED, "HOST OFFLINE", "CHECK THE CABLE", "AND THE PC");
        set_leds(b, LED_OFF, LED_SLOW, now);
    }
}

/* ---- commands from the host ---- */

static uint8_t rect_check(const uint8_t *p, uint16_t *x, uint16_t *y, uint16_t *w, uint16_t *h)
{
    *x = get_u16(p);
    *y = get_u16(p + 2);
    *w = get_u16(p + 4);
    *h = get_u16(p + 6);
    return display_rect_ok(*x, *y, *w, *h) ? NAK_NONE : NAK_BAD_VALUE;
}

static uint8_t do_hello(struct bridge *b, const uint8_t *p, uint16_t len, uint32_t now)
{
    if (len != 1)
        return NAK_BAD_LENGTH;
    uint8_t ok[12 + sizeof FW_VERSION - 1];
    ok[0] = PROTO_VERSION;
    put_u16(ok + 1, CAP_DISPLAY | CAP_SCANNER | CAP_BUTTONS | CAP_BUZZER | CAP_LEDS | CAP_GREY8 | CAP_RGB565);
    put_u16(ok + 3, PANEL_WIDTH);
    put_u16(ok + 5, PANEL_HEIGHT);
    ok[7] = WINDOW_FRAMES;
    put_u16(ok + 8, WINDOW_BYTES);
    put_u16(ok + 10, MAX_PAYLOAD);
    memcpy(ok + 12, FW_VERSION, sizeof FW_VERSION - 1);
    link_reset_tx(&b->link);
    link_queue(&b->link, T_HELLO_OK, ok, sizeof ok, now);
    b->banner_due = false;
    if (p[0] != PROTO_VERSION) {
        if (b->host != HOST_MISMATCH)
            message_screen(b, COLOUR_RED, "HOST PROTOCOL", "MISMATCH:", "UPDATE PROOFDESK");
        b->host = HOST_MISMATCH;
        set_leds(b, LED_OFF, LED_FAST, now);
        return NAK_NONE;
    }
    if (b->host != HOST_ONLINE) {
        message_screen(b, COLOUR_GREEN, "CONNECTED", "WAITING FOR", "THE FIRST SCREEN");
        set_leds(b, LED_OFF, LED_OFF, now);
    }
    b->host = HOST_ONLINE;
    return NAK_NONE;
}

static uint8_t execute(struct bridge *b, const struct frame *f, uint32_t now)
{
    const uint8_t *p = f->payload;
    const struct panel_bus *panel = &b->port->panel;
    uint16_t x, y, w, h;
    uint8_t bad;
    switch (f->type) {
    case T_HELLO:
        return do_hello(b, p, f->len, now);
    case T_HEARTBEAT:
        return f->len == 0 ? NAK_NONE : NAK_BAD_LENGTH;
    case T_FILL_RECT:
        if (f->len != 10)
            return NAK_BAD_LENGTH;
        if ((bad = rect_check(p, &x, &y, &w, &h)))
            return bad;
        display_fill(panel, x, y, w, h, get_u16(p + 8));
        return NAK_NONE;
    case T_BITMAP1:
        if (f->len < 12)
            return NAK_BAD_LENGTH;
        bad = rect_check(p, &x, &y, &w, &h);
        if (f->len != 12u + (uint32_t)((w + 7u) / 8u) * h)
            return NAK_BAD_LENGTH;
        if (bad)
            return bad;
        display_bitmap1(panel, x, y, w, h, get_u16(p + 8), get_u16(p + 10), p + 12);
        return NAK_NONE;
    case T_IMAGE_GREY8:
    case T_IMAGE_RGB565: {
        if (f->len < 8)
            return NAK_BAD_LENGTH;
        bad = rect_check(p, &x, &y, &w, &h);
        uint32_t bpp = f->type == T_IMAGE_GREY8 ? 1u : 2u;
        if (f->len != 8u + bpp * w * h)
            return NAK_BAD_LENGTH;
        if (bad)
            return bad;
        if (bpp == 1)
            display_grey8(panel, x, y, w, h, p + 8);
        else
            display_rgb565(panel, x, y, w, h, p + 8);
        return NAK_NONE;
    }
    case T_SCREEN_BEGIN:
    case T_SCREEN_END:
        if (f->len != 2)
            return NAK_BAD_LENGTH;
        b->screen = get_u16(p);
        if (f->type == T_SCREEN_END && b->port->screen_done)
            b->port->screen_done(b->port->ctx, b->screen);
        return NAK_NONE;
    case T_LED:
        if (f->len != 2)
            return NAK_BAD_LENGTH;
        for (int i = 0; i < 2; i++)
            if (p[i] >= LED_COUNT && p[i] != LED_UNCHANGED)
                return NAK_BAD_VALUE;
        set_leds(b, p[0], p[1], now);
        return NAK_NONE;
    case T_BUZZER:
        if (f->len != 1)
            return NAK_BAD_LENGTH;
        if (p[0] >= BUZZ_COUNT)
            return NAK_BAD_VALUE;
        set_buzzer(b, p[0], now);
        return NAK_NONE;
    case T_SCANNER_CONFIG: {
        if (f->len != 10)
            return NAK_BAD_LENGTH;
        struct scanner_config cfg = {p[0], p[1], get_u16(p + 2), get_u16(p + 4), get_u32(p + 6)};
        if ((bad = scanner_check_config(&cfg)))
            return bad;
        if (cfg.baud == 0)
            cfg.baud = b->scanner.cfg.baud;
        else if (b->port->scanner_baud)
            b->port->scanner_baud(b->port->ctx, cfg.baud);
        scanner_init(&b->scanner, &cfg);
        return NAK_NONE;
    }
    default:
        return NAK_BAD_TYPE;
    }
}

static void on_frame(struct bridge *b, const struct frame *f, uint32_t now)
{
    b->stats.frames_in++;
    b->last_host_rx = now;
    if (f->type == T_ACK) {
        link_on_ack(&b->link, f->seq, now);
        return;
    }
    if (f->type == T_NAK) {
        if (f->len == 1)
            link_on_nak(&b->link, f->seq, f->payload[0], now);
        return;
    }
    if (link_accept(&b->link, f->seq, f->type == T_HELLO) == LINK_EXECUTE)
        link_complete(&b->link, f->seq, execute(b, f, now));
    if (b->banner_due && f->type != T_HELLO)
        queue_banner(b, now); /* we lost the host's session: tell it to say HELLO again */
}

void bridge_host_bytes(struct bridge *b, const uint8_t *data, size_t len, uint32_t now)
{
    for (size_t i = 0; i < len; i++) {
        struct frame f;
        uint8_t nak;
        enum frame_rx_status st = frame_rx_push(&b->rx, data[i], &f, &nak);
        if (st == FRAME_OK)
            on_frame(b, &f, now);
        else if (st == FRAME_BAD) {
            b->stats.bad_frames_in++;
            link_reject_corrupt(&b->link, nak);
        }
    }
    link_poll(&b->link, now);
}

void bridge_host_overrun(struct bridge *b, uint32_t now)
{
    if (b->host != HOST_ONLINE)
        return;
    if (b->overrun_reported && ms_since(now, b->last_overrun_report) < OVERRUN_REPORT_GAP_MS)
        return;
    static const char text[] = "host link receive overrun";
    uint8_t p[sizeof text];
    p[0] = ERR_HOST_RX_OVERRUN;
    memcpy(p + 1, text, sizeof text - 1);
    if (link_queue(&b->link, T_ERROR, p, sizeof p, now)) {
        b->overrun_reported = true;
        b->last_overrun_report = now;
    }
}

/* ---- scanner ---- */

static void report_drop(struct bridge *b, uint8_t reason, uint32_t seen, uint32_t now)
{
    b->stats.dropped++;
    if (b->host != HOST_ONLINE)
        return;
    if ((b->drop_reported && ms_since(now, b->last_drop_report) < DROP_REPORT_GAP_MS) || link_free_slots(&b->link) == 0) {
        b->stats.drops_unreported++; /* noise must not flood the link */
        return;
    }
    uint8_t p[3] = {reason, 0, 0};
    put_u16(p + 1, seen > 0xFFFFu ? 0xFFFFu : (uint16_t)seen);
    link_queue(&b->link, T_DROPPED, p, sizeof p, now);
    b->drop_reported = true;
    b->last_drop_report = now;
}

static void on_scan_event(struct bridge *b, const struct scan_event *ev, uint32_t now)
{
    if (ev->kind == SCAN_EVENT_DROPPED) {
        report_drop(b, ev->reason, ev->seen, now);
        return;
    }
    if (b->host != HOST_ONLINE) { /* no late verdicts: the scan is not kept */
        b->stats.scans_while_offline++;
        set_buzzer(b, BUZZ_ERROR, now);
        set_leds(b, LED_UNCHANGED, LED_FLASH, now);
        return;
    }
    unsigned pieces = (ev->len + SCAN_PIECE - 1u) / SCAN_PIECE;
    if (link_free_slots(&b->link) < pieces) {
        report_drop(b, DROP_QUEUE_FULL, ev->len, now);
        return;
    }
    uint8_t p[MAX_PAYLOAD];
    uint8_t id = ++b->scan_id;
    for (uint16_t off = 0; off < ev->len; off = (uint16_t)(off + SCAN_PIECE)) {
        uint32_t left = (uint32_t)ev->len - off;
        uint16_t n = (uint16_t)(left < SCAN_PIECE ? left : SCAN_PIECE);
        p[0] = id;
        p[1] = ev->symbology;
        put_u16(p + 2, ev->len);
        put_u16(p + 4, off);
        memcpy(p + SCAN_HEADER, ev->data + off, n);
        link_queue(&b->link, T_SCAN, p, SCAN_HEADER + n, now);
    }
    b->stats.scans++;
}

void bridge_scanner_bytes(struct bridge *b, const uint8_t *data, size_t len, uint32_t now)
{
    for (size_t i = 0; i < len; i++) {
        struct scan_event ev;
        if (scanner_feed(&b->scanner, data[i], now, &ev))
            on_scan_event(b, &ev, now);
    }
    link_poll(&b->link, now);
}

void bridge_scanner_error(struct bridge *b, uint32_t now)
{
    scanner_error(&b->scanner, now);
}

void bridge_buttons(struct bridge *b, uint8_t raw, uint32_t now)
{
    uint8_t pressed = buttons_sample(&b->buttons, raw, now);
    for (uint8_t i = 0; i < BUTTON_COUNT; i++) {
        if (!(pressed & (1u << i)) || b->host != HOST_ONLINE)
            continue;
        uint8_t id = (uint8_t)(i + 1); /* BUTTON_YES, BUTTON_NO */
        if (link_queue(&b->link, T_BUTTON, &id, 1, now))
            b->stats.buttons++;
    }
}

void bridge_poll(struct bridge *b, uint32_t now)
{
    struct scan_event ev;
    if (scanner_poll(&b->scanner, now, &ev))
        on_scan_event(b, &ev, now);
    if (b->host == HOST_ONLINE && ms_since(now, b->last_host_rx) >= HOST_WATCHDOG_MS)
        go_offline(b, now);
    link_poll(&b->link, now);
    if (link_take_gave_up(&b->link))
        go_offline(b, now);
    update_outputs(b, now);
}

void bridge_init(struct bridge *b, const struct bridge_port *port, uint32_t now)
{
    memset(b, 0, sizeof *b);
    b->port = port;
    link_init(&b->link, host_write, b);
    frame_rx_init(&b->rx);
    struct scanner_config cfg;
    scanner_default_config(&cfg);
    scanner_init(&b->scanner, &cfg);
    buttons_init(&b->buttons);
    b->host = HOST_WAITING;
    port->leds(port->ctx, false, false);
    port->buzzer(port->ctx, 0);
    ili9341_init(&port->panel);
    message_screen(b, COLOUR_GREY, "PROOFDESK", "BRIDGE " FW_VERSION, "WAITING FOR HOST");
    set_leds(b, LED_OFF, LED_SLOW, now);
    queue_banner(b, now);
    link_poll(&b->link, now);
}
