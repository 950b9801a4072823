#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "frame.h"

static void host_write(void *ctx, const uint8_t *d, size_t n)
{
    struct fake *f = ctx;
    assert_true(f->out_len + n <= OUT_CAP);
    memcpy(f->out + f->out_len, d, n);
    f->out_len += n;
}
static void p_select(void *ctx, bool s) { emu_select(&((struct fake *)ctx)->emu, s); }
static void p_dc(void *ctx, bool d) { emu_dc(&((struct fake *)ctx)->emu, d); }
static void p_write(void *ctx, const uint8_t *b, size_t n) { emu_write(&((struct fake *)ctx)->emu, b, n); }
static void p_reset(void *ctx, bool a) { emu_reset(&((struct fake *)ctx)->emu, a); }
static void p_delay(void *ctx, uint32_t ms) { ((struct fake *)ctx)->delay_total += ms; }
static void leds(void *ctx, bool g, bool r)
{
    struct fake *f = ctx;
    f->green = g;
    f->red = r;
}
static void buzzer(void *ctx, uint16_t hz) { ((struct fake *)ctx)->hz = hz; }
static void baud(void *ctx, uint32_t b) { ((struct fake *)ctx)->baud = b; }
static void screen_done(void *ctx, uint16_t s)
{
    (void)s;
    ((struct fake *)ctx)->screens_done++;
}

struct fake *fake_new(void)
{
    struct fake *f = calloc(1, sizeof *f);
    assert_non_null(f);
    emu_init(&f->emu);
    f->port = (struct bridge_port){
        .ctx = f,
        .host_write = host_write,
        .panel = {f, p_select, p_dc, p_write, p_reset, p_delay},
        .leds = leds,
        .buzzer = buzzer,
        .scanner_baud = baud,
        .screen_done = screen_done,
    };
    return f;
}

void fake_start(struct fake *f, uint32_t now)
{
    bridge_init(&f->bridge, &f->port, now);
}

void fake_free(struct fake *f)
{
    free(f);
}

size_t fake_frames(struct fake *f, struct out_frame *frames, size_t max)
{
    size_t count = 0, start = 0;
    for (size_t i = 0; i < f->out_len; i++) {
        if (f->out[i] != 0)
            continue;
        static uint8_t dec[MAX_ENCODED];
        struct frame fr;
        uint8_t nak = 0;
        assert_int_equal(frame_decode(f->out + start, i - start, dec, &fr, &nak), FRAME_OK);
        assert_true(count < max);
        frames[count].type = fr.type;
        frames[count].seq = fr.seq;
        frames[count].len = fr.len;
        memcpy(frames[count].payload, fr.payload, fr.len);
        count++;
        start = i + 1;
    }
    assert_int_equal(start, f->out_len); /* nothing half-written */
    f->out_len = 0;
    return count;
}

void fake_send(struct fake *f, uint8_t type, uint8_t seq, const uint8_t *payload, size_t len, uint32_t now)
{
    static uint8_t wire[MAX_WIRE];
    size_t n = frame_encode(type, seq, payload, len, wire);
    assert_true(n > 0);
    bridge_host_bytes(&f->bridge, wire, n, now);
}

void fake_hello(struct fake *f, uint32_t now)
{
    const uint8_t proto = PROTO_VERSION;
    fake_send(f, T_HELLO, 0, &proto, 1, now);
    static struct out_frame frames[8];
    size_t n = fake_frames(f, frames, 8);
    assert_int_equal(n, 2);
    assert_int_equal(frames[0].type, T_ACK);
    assert_int_equal(frames[1].type, T_HELLO_OK);
    fake_send(f, T_ACK, frames[1].seq, NULL, 0, now);
    assert_int_equal(f->out_len, 0);
}

void emu_expect_rgb(const struct ili9341_emu *e, unsigned x, unsigned y, uint16_t c)
{
    uint8_t rgb[3];
    emu_pixel_rgb(e, x, y, rgb);
    assert_int_equal(rgb[0] >> 3, (c >> 11) & 0x1F);
    assert_int_equal(rgb[1] >> 2, (c >> 5) & 0x3F);
    assert_int_equal(rgb[2] >> 3, c & 0x1F);
}
