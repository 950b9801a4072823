/* Frame layer: COBS(type | seq | payload | crc16 BE) 0x00. A bounded streaming receiver and an encoder. */
#ifndef BRIDGE_FRAME_H
#define BRIDGE_FRAME_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "proto.h"

struct frame {
    uint8_t type;
    uint8_t seq;
    uint16_t len;
    const uint8_t *payload; /* points into the receiver; valid until the next byte is pushed */
};

enum frame_rx_status { FRAME_NONE, FRAME_OK, FRAME_BAD };

struct frame_rx {
    uint8_t enc[MAX_ENCODED];
    uint8_t dec[MAX_ENCODED];
    uint16_t len;
    bool overflow;
};

void frame_rx_init(struct frame_rx *rx);
/* Pushes one byte. At a delimiter returns FRAME_OK (*out filled) or FRAME_BAD (*nak = NAK_CRC or NAK_TOO_LONG);
 * otherwise FRAME_NONE. Empty frames are skipped. Memory is fixed: an over-long run is counted, not stored. */
enum frame_rx_status frame_rx_push(struct frame_rx *rx, uint8_t byte, struct frame *out, uint8_t *nak);
/* Decodes one complete frame (no delimiter) held in enc into dec. */
enum frame_rx_status frame_decode(const uint8_t *enc, size_t len, uint8_t *dec, struct frame *out, uint8_t *nak);

/* Encodes a frame with its delimiter into out (room for MAX_WIRE); returns the wire length, 0 if len > MAX_PAYLOAD. */
size_t frame_encode(uint8_t type, uint8_t seq, const uint8_t *payload, size_t len, uint8_t *out);

static inline uint16_t get_u16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }
static inline uint32_t get_u32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
static inline void put_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}
#endif
