#include "png.h"
#include <string.h>

/* PNG spec (ISO/IEC 15948) §5.5: CRC-32 as in ISO 3309, poly 0xEDB88320 reflected. */
static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

static void be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

struct chunk {
    FILE *f;
    uint32_t crc;
    int err;
};

static void chunk_bytes(struct chunk *c, const uint8_t *p, size_t n)
{
    if (n && fwrite(p, 1, n, c->f) != n)
        c->err = -1;
    c->crc = crc32_update(c->crc, p, n);
}

static void chunk_begin(struct chunk *c, const char type[4], uint32_t len)
{
    uint8_t hdr[4];
    be32(hdr, len);
    if (fwrite(hdr, 1, 4, c->f) != 4)
        c->err = -1;
    c->crc = 0;
    chunk_bytes(c, (const uint8_t *)type, 4);
}

static void chunk_end(struct chunk *c)
{
    uint8_t crc[4];
    be32(crc, c->crc);
    if (fwrite(crc, 1, 4, c->f) != 4)
        c->err = -1;
}

int png_write_rgb(FILE *f, const uint8_t *rgb, uint32_t width, uint32_t height)
{
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    struct chunk c = {f, 0, 0};
    if (fwrite(sig, 1, 8, f) != 8)
        return -1;
    uint8_t ihdr[13];
    be32(ihdr, width);
    be32(ihdr + 4, height);
    ihdr[8] = 8;  /* bit depth */
    ihdr[9] = 2;  /* colour type: RGB */
    ihdr[10] = ihdr[11] = ihdr[12] = 0;
    chunk_begin(&c, "IHDR", 13);
    chunk_bytes(&c, ihdr, 13);
    chunk_end(&c);

    /* raw image data: each row = filter byte 0 + pixels; deflate stored blocks of ≤ 65535 bytes */
    uint32_t row = width * 3u + 1u, raw = row * height;
    uint32_t blocks = (raw + 65534u) / 65535u;
    uint32_t zlen = 2u + raw + blocks * 5u + 4u;
    chunk_begin(&c, "IDAT", zlen);
    const uint8_t zhdr[2] = {0x78, 0x01}; /* deflate, 32K window, no dictionary; (0x7801 % 31 == 0) */
    chunk_bytes(&c, zhdr, 2);
    uint32_t a = 1, b = 0; /* Adler-32 (RFC 1950) */
    uint32_t pos = 0;
    for (uint32_t blk = 0; blk < blocks; blk++) {
        uint32_t n = raw - pos < 65535u ? raw - pos : 65535u;
        uint8_t h[5] = {(uint8_t)(blk + 1 == blocks), (uint8_t)n, (uint8_t)(n >> 8), (uint8_t)~n, (uint8_t)(~n >> 8)};
        chunk_bytes(&c, h, 5);
        for (uint32_t i = 0; i < n; i++, pos++) {
            uint32_t y = pos / row, x = pos % row;
            uint8_t byte = x == 0 ? 0 : rgb[(size_t)y * width * 3u + x - 1u];
            chunk_bytes(&c, &byte, 1);
            a = (a + byte) % 65521u;
            b = (b + a) % 65521u;
        }
    }
    uint8_t adler[4];
    be32(adler, (b << 16) | a);
    chunk_bytes(&c, adler, 4);
    chunk_end(&c);
    chunk_begin(&c, "IEND", 0);
    chunk_end(&c);
    return c.err;
}
