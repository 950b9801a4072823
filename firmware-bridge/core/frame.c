#include "frame.h"
#include <string.h>
#include "cobs.h"
#include "crc16.h"

void frame_rx_init(struct frame_rx *rx)
{
    rx->len = 0;
    rx->overflow = false;
}

enum frame_rx_status frame_decode(const uint8_t *enc, size_t len, uint8_t *dec, struct frame *out, uint8_t *nak)
{
    if (len > MAX_ENCODED) {
        *nak = NAK_TOO_LONG;
        return FRAME_BAD;
    }
    int n = cobs_decode(enc, len, dec);
    if (n < 4) { /* invalid COBS or shorter than type + seq + crc: corrupt */
        *nak = NAK_CRC;
        return FRAME_BAD;
    }
    if ((size_t)n > MAX_FRAME) {
        *nak = NAK_TOO_LONG;
        return FRAME_BAD;
    }
    if (crc16_update(CRC16_INIT, dec, (size_t)n - 2) != get_u16(dec + n - 2)) {
        *nak = NAK_CRC;
        return FRAME_BAD;
    }
    out->type = dec[0];
    out->seq = dec[1];
    out->len = (uint16_t)(n - 4);
    out->payload = dec + 2;
    return FRAME_OK;
}

enum frame_rx_status frame_rx_push(struct frame_rx *rx, uint8_t byte, struct frame *out, uint8_t *nak)
{
    if (byte != 0) {
        if (rx->len < sizeof rx->enc)
            rx->enc[rx->len++] = byte;
        else
            rx->overflow = true;
        return FRAME_NONE;
    }
    size_t len = rx->len;
    bool overflow = rx->overflow;
    frame_rx_init(rx);
    if (overflow) {
        *nak = NAK_TOO_LONG;
        return FRAME_BAD;
    }
    if (len == 0)
        return FRAME_NONE;
    return frame_decode(rx->enc, len, rx->dec, out, nak);
}

size_t frame_encode(uint8_t type, uint8_t seq, const uint8_t *payload, size_t len, uint8_t *out)
{
    uint8_t body[MAX_FRAME];
    if (len > MAX_PAYLOAD)
        return 0;
    body[0] = type;
    body[1] = seq;
    if (len)
        memcpy(body + 2, payload, len);
    put_u16(body + 2 + len, crc16_update(CRC16_INIT, body, len + 2));
    size_t n = cobs_encode(body, len + 4, out);
    out[n] = 0;
    return n + 1;
}
