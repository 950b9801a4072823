#include "scanner.h"
#include "clock.h"
#include <string.h>

void scanner_default_config(struct scanner_config *cfg)
{
    cfg->terminators = TERM_CR | TERM_LF;
    cfg->flags = SCAN_FLAG_STRIP_AIM;
    cfg->idle_ms = 100;
    cfg->max_len = SCAN_MAX_LEN;
    cfg->baud = 115200;
}

uint8_t scanner_check_config(const struct scanner_config *cfg)
{
    if (cfg->terminators > 0x0F || cfg->flags > 0x01)
        return NAK_BAD_VALUE;
    if (cfg->idle_ms < 10 || cfg->idle_ms > 5000)
        return NAK_BAD_VALUE;
    if (cfg->max_len < 1 || cfg->max_len > SCAN_MAX_LEN)
        return NAK_BAD_VALUE;
    if (cfg->baud != 0 && (cfg->baud < 1200 || cfg->baud > 921600))
        return NAK_BAD_VALUE;
    return NAK_NONE;
}

static void reset_line(struct scanner *s)
{
    s->len = 0;
    s->seen = 0;
    s->noise = false;
}

void scanner_init(struct scanner *s, const struct scanner_config *cfg)
{
    s->cfg = *cfg;
    reset_line(s);
    s->last_at = 0;
}

static bool is_terminator(const struct scanner *s, uint8_t b)
{
    uint8_t t = s->cfg.terminators;
    return ((t & TERM_CR) && b == '\r') || ((t & TERM_LF) && b == '\n') || ((t & TERM_TAB) && b == '\t') ||
           ((t & TERM_ETX) && b == 0x03);
}

static uint8_t aim_symbology(uint8_t c)
{
    switch (c) {
    case 'Q': return SYM_QR;
    case 'd': return SYM_DATAMATRIX;
    case 'L': return SYM_PDF417;
    case 'z': return SYM_AZTEC;
    case 'C': return SYM_CODE128;
    default: return SYM_OTHER;
    }
}

static bool dropped(struct scanner *s, uint8_t reason, struct scan_event *ev)
{
    ev->kind = SCAN_EVENT_DROPPED;
    ev->reason = reason;
    ev->seen = s->seen;
    reset_line(s);
    return true;
}

/* The line is over (terminator, or idle gap with no terminators configured). */
static bool finish(struct scanner *s, struct scan_event *ev)
{
    if (s->noise)
        return dropped(s, DROP_NOISE, ev);
    if (s->seen > s->len)
        return dropped(s, DROP_TOO_LONG, ev);
    const uint8_t *data = s->buf;
    uint16_t len = s->len;
    uint8_t sym = SYM_UNKNOWN;
    if ((s->cfg.flags & SCAN_FLAG_STRIP_AIM) && len >= 3 && data[0] == ']') {
        sym = aim_symbology(data[1]);
        data += 3;
        len -= 3;
    }
    reset_line(s);
    if (len == 0)
        return false; /* a lone terminator or a bare AIM id: nothing was scanned */
    ev->kind = SCAN_EVENT_SCAN;
    ev->symbology = sym;
    ev->data = data; /* buf is not touched again until the next feed */
    ev->len = len;
    return true;
}

bool scanner_feed(struct scanner *s, uint8_t b, uint32_t now, struct scan_event *ev)
{
    ev->kind = SCAN_EVENT_NONE;
    if (is_terminator(s, b)) {
        if (s->seen == 0 && !s->noise)
            return false; /* CR LF: the LF ends an empty line */
        return finish(s, ev);
    }
    s->last_at = now;
    if (s->seen < UINT32_MAX)
        s->seen++;
    /* control bytes are not data, except GS (FNC1 in GS1 codes) */
    if ((b < 0x20 && b != 0x1D) || b == 0x7F)
        s->noise = true;
    if (s->len < s->cfg.max_len)
        s->buf[s->len++] = b;
    return false;
}

void scanner_error(struct scanner *s, uint32_t now)
{
    s->noise = true;
    s->last_at = now;
}

bool scanner_poll(struct scanner *s, uint32_t now, struct scan_event *ev)
{
    ev->kind = SCAN_EVENT_NONE;
    if (s->seen == 0 && !s->noise)
        return false;
    if (ms_since(now, s->last_at) < s->cfg.idle_ms)
        return false;
    if (s->cfg.terminators == 0)
        return finish(s, ev);
    if (s->noise)
        return dropped(s, DROP_NOISE, ev);
    return dropped(s, DROP_INCOMPLETE, ev);
}
