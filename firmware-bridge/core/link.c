#include "link.h"
#include "clock.h"
#include <string.h>

void link_init(struct link *l, link_write_fn write, void *ctx)
{
    memset(l, 0, sizeof *l);
    l->write = write;
    l->write_ctx = ctx;
}

static void send_control(struct link *l, uint8_t type, uint8_t seq, const uint8_t *payload, size_t len)
{
    uint8_t wire[16];
    size_t n = frame_encode(type, seq, payload, len, wire);
    l->write(l->write_ctx, wire, n);
}

static void send_nak(struct link *l, uint8_t seq, uint8_t code)
{
    l->naks_sent++;
    send_control(l, T_NAK, seq, &code, 1);
}

enum link_verdict link_accept(struct link *l, uint8_t seq, bool resync)
{
    if (resync) {
        l->expected = seq;
        l->gap_nacked = false;
        return LINK_EXECUTE;
    }
    uint8_t behind = (uint8_t)(l->expected - seq);
    if (behind == 0) {
        l->gap_nacked = false;
        return LINK_EXECUTE;
    }
    if (behind <= 128) { /* a duplicate: our ACK was lost. ACK the latest again, do not run it twice */
        send_control(l, T_ACK, (uint8_t)(l->expected - 1), NULL, 0);
        return LINK_IGNORE;
    }
    if (!l->gap_nacked) { /* a frame before this one was lost */
        l->gap_nacked = true;
        send_nak(l, l->expected, NAK_OUT_OF_WINDOW);
    }
    return LINK_IGNORE;
}

void link_complete(struct link *l, uint8_t seq, uint8_t code)
{
    l->expected = (uint8_t)(seq + 1);
    if (code == NAK_NONE)
        send_control(l, T_ACK, seq, NULL, 0);
    else
        send_nak(l, seq, code);
}

void link_reject_corrupt(struct link *l, uint8_t code)
{
    send_nak(l, l->expected, code);
}

static struct tx_slot *slot_at(struct link *l, unsigned i)
{
    return &l->slots[(l->head + i) % TX_SLOTS];
}

static size_t wire_size(const struct tx_slot *s)
{
    size_t body = (size_t)s->len + 4u;
    return COBS_MAX_ENCODED_LEN(body) + 1u;
}

/* Index in flight of seq, or -1. */
static int inflight_index(struct link *l, uint8_t seq)
{
    for (unsigned i = 0; i < l->inflight; i++)
        if (slot_at(l, i)->seq == seq)
            return (int)i;
    return -1;
}

/* Drops the first n in-flight frames: the peer has them. */
static void release(struct link *l, unsigned n, uint32_t now)
{
    if (n == 0)
        return;
    for (unsigned i = 0; i < n; i++)
        l->inflight_bytes = (uint16_t)(l->inflight_bytes - wire_size(slot_at(l, i)));
    l->head = (uint8_t)((l->head + n) % TX_SLOTS);
    l->count = (uint8_t)(l->count - n);
    l->inflight = (uint8_t)(l->inflight - n);
    l->resends = 0;
    l->sent_at = now;
}

/* Go back: every in-flight frame from index i on counts as unsent again. */
static void go_back(struct link *l, unsigned i)
{
    for (unsigned k = i; k < l->inflight; k++)
        l->inflight_bytes = (uint16_t)(l->inflight_bytes - wire_size(slot_at(l, k)));
    l->inflight = (uint8_t)i;
}

void link_on_ack(struct link *l, uint8_t seq, uint32_t now)
{
    int i = inflight_index(l, seq);
    if (i >= 0)
        release(l, (unsigned)i + 1, now);
}

void link_on_nak(struct link *l, uint8_t seq, uint8_t code, uint32_t now)
{
    l->naks_received++;
    int i = inflight_index(l, seq);
    if (i < 0)
        return;
    if (code == NAK_BAD_TYPE || code == NAK_BAD_LENGTH || code == NAK_BAD_VALUE) {
        release(l, (unsigned)i + 1, now); /* consumed by the peer: resending cannot help */
        return;
    }
    if (code == NAK_BUSY) { /* resend from seq after one retry period, not at once */
        release(l, (unsigned)i, now);
        go_back(l, 0);
        l->paused = true;
        l->sent_at = now;
        return;
    }
    release(l, (unsigned)i, now); /* everything before seq arrived */
    go_back(l, 0);
    l->resent++;
    if (++l->resends > TX_MAX_RESENDS) {
        link_reset_tx(l);
        l->gave_up = true;
    }
}

unsigned link_free_slots(const struct link *l)
{
    return TX_SLOTS - l->count;
}

bool link_queue(struct link *l, uint8_t type, const uint8_t *payload, size_t len, uint32_t now)
{
    if (l->count >= TX_SLOTS || len > MAX_PAYLOAD)
        return false;
    struct tx_slot *s = slot_at(l, l->count);
    s->type = type;
    s->seq = l->next_seq++;
    s->len = (uint16_t)len;
    if (len)
        memcpy(s->payload, payload, len);
    if (l->count == 0)
        l->sent_at = now;
    l->count++;
    return true;
}

void link_poll(struct link *l, uint32_t now)
{
    if (l->paused) {
        if (ms_since(now, l->sent_at) < TX_RETRY_MS)
            return;
        l->paused = false;
    }
    if (l->inflight > 0 && ms_since(now, l->sent_at) >= TX_RETRY_MS) {
        if (++l->resends > TX_MAX_RESENDS) {
            link_reset_tx(l);
            l->gave_up = true;
            return;
        }
        l->resent++;
        go_back(l, 0);
    }
    while (l->inflight < l->count && l->inflight < WINDOW_FRAMES) {
        struct tx_slot *s = slot_at(l, l->inflight);
        size_t size = wire_size(s);
        if (l->inflight > 0 && l->inflight_bytes + size > WINDOW_BYTES)
            break;
        size_t n = frame_encode(s->type, s->seq, s->payload, s->len, l->wire);
        l->write(l->write_ctx, l->wire, n);
        if (l->inflight == 0)
            l->sent_at = now;
        l->inflight++;
        l->inflight_bytes = (uint16_t)(l->inflight_bytes + size);
        l->frames_sent++;
    }
}

void link_reset_tx(struct link *l)
{
    l->head = l->count = l->inflight = 0;
    l->inflight_bytes = 0;
    l->next_seq = 0;
    l->resends = 0;
    l->paused = false;
}

bool link_take_gave_up(struct link *l)
{
    bool g = l->gave_up;
    l->gave_up = false;
    return g;
}
