#include "cobs.h"

size_t cobs_encode(const uint8_t *in, size_t len, uint8_t *out)
{
    size_t code_at = 0, at = 1;
    uint8_t code = 1;
    for (size_t i = 0; i < len; i++) {
        if (in[i] != 0) {
            out[at++] = in[i];
            code++;
        }
        if (in[i] == 0 || code == 0xFF) {
            out[code_at] = code;
            code_at = at++;
            code = 1;
        }
    }
    out[code_at] = code;
    return at;
}

int cobs_decode(const uint8_t *in, size_t len, uint8_t *out)
{
    size_t i = 0, n = 0;
    while (i < len) {
        uint8_t code = in[i];
        if (code == 0 || i + code > len)
            return -1;
        for (size_t j = 1; j < code; j++) {
            if (in[i + j] == 0)
                return -1;
            out[n++] = in[i + j];
        }
        i += code;
        if (code != 0xFF && i < len)
            out[n++] = 0;
    }
    return (int)n;
}
