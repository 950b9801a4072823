/* Link layer: sequence numbers, cumulative ACK / NAK, and a go-back-N sender window (docs/bridge-protocol.md §4). */
#ifndef BRIDGE_LINK_H
#define BRIDGE_LINK_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "frame.h"
#include "proto.h"
#include "cobs.h"

#define TX_SLOTS 8u

typedef void (*link_write_fn)(void *ctx, const uint8_t *data, size_t len);

struct tx_slot {
    uint8_t type;
    uint8_t seq;
    uint16_t len;
    uint8_t payload[MAX_PAYLOAD];
};

struct link {
    link_write_fn write;
    void *write_ctx;
    /* receive side */
    uint8_t expected;
    bool gap_nacked; /* one OUT_OF_WINDOW NAK per gap */
    /* send side: slots[head .. head+count) queued, the first `inflight` of them sent */
    struct tx_slot slots[TX_SLOTS];
    uint8_t head, count, inflight;
    uint8_t next_seq;
    uint16_t inflight_bytes;
    uint32_t sent_at;
    uint8_t resends;
    bool paused;  /* after NAK BUSY: wait one retry period */
    bool gave_up; /* set when resends ran out; cleared by link_take_gave_up */
    uint8_t wire[MAX_WIRE];
    /* counters for diagnostics */
    uint32_t frames_sent, resent, naks_sent, naks_received;
};

enum link_verdict { LINK_EXECUTE, LINK_IGNORE };

void link_init(struct link *l, link_write_fn write, void *ctx);

/* Receive side. A CRC-valid non-ACK/NAK frame: LINK_EXECUTE means run it and then call link_complete;
 * LINK_IGNORE means it was a duplicate (re-ACKed) or out of window (NAKed) and must not run.
 * `resync` accepts any seq (HELLO). */
enum link_verdict link_accept(struct link *l, uint8_t seq, bool resync);
/* After executing: code NAK_NONE sends ACK seq, else NAK seq code; the seq is consumed either way. */
void link_complete(struct link *l, uint8_t seq, uint8_t code);
/* A frame that failed CRC / length: NAK it naming the expected seq. */
void link_reject_corrupt(struct link *l, uint8_t code);
/* ACK / NAK frames from the peer. */
void link_on_ack(struct link *l, uint8_t seq, uint32_t now);
void link_on_nak(struct link *l, uint8_t seq, uint8_t code, uint32_t now);

/* Send side. Free queue slots. */
unsigned link_free_slots(const struct link *l);
/* Queues a frame; false if the queue is full or len > MAX_PAYLOAD. */
bool link_queue(struct link *l, uint8_t type, const uint8_t *payload, size_t len, uint32_t now);
/* Sends what the window allows and resends on timeout. Call often. */
void link_poll(struct link *l, uint32_t now);
/* Forget everything queued and restart numbering at 0 (HELLO, host offline). */
void link_reset_tx(struct link *l);
/* True once after the resends of a frame ran out (the queue has been dropped). */
bool link_take_gave_up(struct link *l);
#endif
