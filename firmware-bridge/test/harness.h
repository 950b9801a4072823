/* Test doubles for the bridge port: host output captured and split into frames, panel = the ILI9341 emulator. */
#ifndef TEST_HARNESS_H
#define TEST_HARNESS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "bridge.h"
#include "ili9341_emu.h"

#define OUT_CAP (64u * 1024u)
#define MAX_OUT_FRAMES 256u

struct out_frame {
    uint8_t type, seq;
    uint16_t len;
    uint8_t payload[MAX_PAYLOAD];
};

struct fake {
    uint8_t out[OUT_CAP];
    size_t out_len;
    bool green, red;
    uint16_t hz;
    uint32_t baud;
    int screens_done;
    uint32_t delay_total;
    struct ili9341_emu emu;
    struct bridge_port port;
    struct bridge bridge;
};

struct fake *fake_new(void); /* bridge not started */
void fake_start(struct fake *f, uint32_t now);
void fake_free(struct fake *f);
/* Frames written to the host since the last call (bad frames fail the test). */
size_t fake_frames(struct fake *f, struct out_frame *frames, size_t max);
/* Host → firmware helpers. */
void fake_send(struct fake *f, uint8_t type, uint8_t seq, const uint8_t *payload, size_t len, uint32_t now);
void fake_hello(struct fake *f, uint32_t now); /* HELLO seq 0 + ACK of HELLO_OK; leaves output drained */
void emu_expect_rgb(const struct ili9341_emu *e, unsigned x, unsigned y, uint16_t rgb565);
#endif
