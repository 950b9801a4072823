/* Consistent Overhead Byte Stuffing: output has no 0x00, so 0x00 delimits frames. */
#ifndef BRIDGE_COBS_H
#define BRIDGE_COBS_H
#include <stddef.h>
#include <stdint.h>

#define COBS_MAX_ENCODED_LEN(n) ((n) + (n) / 254u + 1u)

/* Encodes len bytes into out (room for COBS_MAX_ENCODED(len)); returns the encoded length. */
size_t cobs_encode(const uint8_t *in, size_t len, uint8_t *out);
/* Decodes one frame without its delimiter into out (room for len bytes); returns the decoded length,
 * or -1 if the encoding is invalid. */
int cobs_decode(const uint8_t *in, size_t len, uint8_t *out);
#endif
