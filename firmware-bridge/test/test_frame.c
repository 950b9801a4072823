/* CRC, COBS and the frame layer against the shared golden vectors (protocol/golden.json). */
#include <string.h>
#include "tests.h"
#include "harness.h"
#include "cobs.h"
#include "crc16.h"
#include "frame.h"
#include "golden_vectors.h"

static void crc_check_value(void **state)
{
    (void)state;
    assert_int_equal(GOLDEN_PROTOCOL, PROTO_VERSION);
    assert_int_equal(crc16_update(CRC16_INIT, (const uint8_t *)GOLDEN_CRC_INPUT, strlen(GOLDEN_CRC_INPUT)), GOLDEN_CRC);
}

static void golden_good_encode(void **state)
{
    (void)state;
    static uint8_t wire[MAX_WIRE];
    assert_true(GOLDEN_GOOD_COUNT >= 20);
    for (size_t i = 0; i < GOLDEN_GOOD_COUNT; i++) {
        const struct golden_good *v = &GOLDEN_GOOD[i];
        size_t n = frame_encode(v->type, v->seq, v->payload, v->payload_len, wire);
        print_message("encode %s\n", v->name);
        assert_int_equal(n, v->wire_len);
        assert_memory_equal(wire, v->wire, n);
    }
}

static void golden_good_decode_streaming(void **state)
{
    (void)state;
    static struct frame_rx rx;
    frame_rx_init(&rx);
    for (size_t i = 0; i < GOLDEN_GOOD_COUNT; i++) {
        const struct golden_good *v = &GOLDEN_GOOD[i];
        struct frame f;
        uint8_t nak = 0;
        for (size_t k = 0; k + 1 < v->wire_len; k++)
            assert_int_equal(frame_rx_push(&rx, v->wire[k], &f, &nak), FRAME_NONE);
        assert_int_equal(frame_rx_push(&rx, 0, &f, &nak), FRAME_OK);
        assert_int_equal(f.type, v->type);
        assert_int_equal(f.seq, v->seq);
        assert_int_equal(f.len, v->payload_len);
        if (f.len)
            assert_memory_equal(f.payload, v->payload, f.len);
    }
}

/* Frame-layer faults: the streaming receiver names the NAK code; the bridge answers with the exact NAK bytes. */
static void golden_bad_frames(void **state)
{
    (void)state;
    assert_true(GOLDEN_BAD_COUNT >= 8);
    for (size_t i = 0; i < GOLDEN_BAD_COUNT; i++) {
        const struct golden_bad *v = &GOLDEN_BAD[i];
        print_message("bad %s\n", v->name);
        if (strcmp(v->layer, "frame") == 0) {
            static struct frame_rx rx;
            frame_rx_init(&rx);
            struct frame f;
            uint8_t nak = 0;
            enum frame_rx_status st = FRAME_NONE;
            for (size_t k = 0; k < v->wire_len; k++)
                st = frame_rx_push(&rx, v->wire[k], &f, &nak);
            assert_int_equal(st, FRAME_BAD);
            assert_int_equal(nak, v->nak_code);
        }
        /* every layer: a fresh firmware (expects seq 0, host online) answers with exactly nak_wire */
        struct fake *fk = fake_new();
        fake_start(fk, 0);
        static struct out_frame frames[8];
        fake_frames(fk, frames, 8); /* BANNER */
        const uint8_t proto = PROTO_VERSION;
        fake_send(fk, T_HELLO, 255, &proto, 1, 1); /* so the next expected seq is 0 */
        fake_frames(fk, frames, 8);                /* ACK + HELLO_OK */
        fake_send(fk, T_ACK, 0, NULL, 0, 1);
        assert_int_equal(fk->out_len, 0);
        bridge_host_bytes(&fk->bridge, v->wire, v->wire_len, 2);
        assert_int_equal(fk->out_len, v->nak_wire_len);
        assert_memory_equal(fk->out, v->nak_wire, v->nak_wire_len);
        fake_free(fk);
    }
}

static void cobs_edges(void **state)
{
    (void)state;
    uint8_t in[600], enc[COBS_MAX_ENCODED_LEN(600)], dec[700];
    for (size_t len = 0; len <= sizeof in; len += (len < 260 ? 1 : 37)) {
        for (int pattern = 0; pattern < 3; pattern++) {
            for (size_t i = 0; i < len; i++)
                in[i] = pattern == 0 ? 0 : pattern == 1 ? (uint8_t)(i % 255 + 1) : (uint8_t)(i * 7);
            size_t n = cobs_encode(in, len, enc);
            assert_true(n <= COBS_MAX_ENCODED_LEN(len));
            assert_null(memchr(enc, 0, n));
            assert_int_equal(cobs_decode(enc, n, dec), (int)len);
            if (len)
                assert_memory_equal(dec, in, len);
        }
    }
}

static void overlong_run_is_bounded_and_recovers(void **state)
{
    (void)state;
    static struct frame_rx rx;
    frame_rx_init(&rx);
    struct frame f;
    uint8_t nak = 0;
    for (int i = 0; i < 100000; i++)
        assert_int_equal(frame_rx_push(&rx, 0x55, &f, &nak), FRAME_NONE);
    assert_int_equal(frame_rx_push(&rx, 0, &f, &nak), FRAME_BAD);
    assert_int_equal(nak, NAK_TOO_LONG);
    assert_int_equal(frame_rx_push(&rx, 0, &f, &nak), FRAME_NONE); /* empty frame: skipped */
    const struct golden_good *v = &GOLDEN_GOOD[0];
    enum frame_rx_status st = FRAME_NONE;
    for (size_t k = 0; k < v->wire_len; k++)
        st = frame_rx_push(&rx, v->wire[k], &f, &nak);
    assert_int_equal(st, FRAME_OK);
    assert_int_equal(f.type, v->type);
}

static void encode_refuses_oversize(void **state)
{
    (void)state;
    static uint8_t payload[MAX_PAYLOAD + 1], wire[MAX_WIRE + 8];
    assert_int_equal(frame_encode(T_IMAGE_GREY8, 0, payload, MAX_PAYLOAD + 1, wire), 0);
    assert_true(frame_encode(T_IMAGE_GREY8, 0, payload, MAX_PAYLOAD, wire) <= MAX_WIRE);
}

int run_frame_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crc_check_value),
        cmocka_unit_test(golden_good_encode),
        cmocka_unit_test(golden_good_decode_streaming),
        cmocka_unit_test(golden_bad_frames),
        cmocka_unit_test(cobs_edges),
        cmocka_unit_test(overlong_run_is_bounded_and_recovers),
        cmocka_unit_test(encode_refuses_oversize),
    };
    return cmocka_run_group_tests_name("frame", tests, NULL, NULL);
}
