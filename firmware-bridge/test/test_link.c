/* Link layer: window limits, cumulative ACK, go-back-N on NAK and timeout, duplicates, out of window, giving up. */
#include <string.h>
#include "tests.h"
#include "harness.h"
#include "link.h"

struct cap {
    uint8_t wire[32 * 1024];
    size_t len;
};

static void cap_write(void *ctx, const uint8_t *d, size_t n)
{
    struct cap *c = ctx;
    assert_true(c->len + n <= sizeof c->wire);
    memcpy(c->wire + c->len, d, n);
    c->len += n;
}

/* Frames in the capture, as (type, seq) pairs; clears it. */
static size_t cap_frames(struct cap *c, uint8_t types[], uint8_t seqs[], uint8_t codes[], size_t max)
{
    size_t count = 0, start = 0;
    for (size_t i = 0; i < c->len; i++) {
        if (c->wire[i])
            continue;
        static uint8_t dec[MAX_ENCODED];
        struct frame f;
        uint8_t nak;
        assert_int_equal(frame_decode(c->wire + start, i - start, dec, &f, &nak), FRAME_OK);
        assert_true(count < max);
        types[count] = f.type;
        seqs[count] = f.seq;
        codes[count] = f.len ? f.payload[0] : 0;
        count++;
        start = i + 1;
    }
    c->len = 0;
    return count;
}

static struct link L;
static struct cap C;
static uint8_t types[64], seqs[64], codes[64];

static int setup(void **state)
{
    (void)state;
    memset(&C, 0, sizeof C);
    link_init(&L, cap_write, &C);
    return 0;
}

static void window_caps_frames_and_bytes(void **state)
{
    (void)state;
    static uint8_t big[MAX_PAYLOAD];
    for (int i = 0; i < 6; i++)
        assert_true(link_queue(&L, T_SCAN, (const uint8_t *)"x", 1, 0));
    link_poll(&L, 0);
    assert_int_equal(cap_frames(&C, types, seqs, codes, 64), WINDOW_FRAMES);
    assert_int_equal(seqs[0], 0);
    assert_int_equal(seqs[3], 3);
    link_on_ack(&L, 1, 10); /* cumulative: 0 and 1 */
    link_poll(&L, 10);
    assert_int_equal(cap_frames(&C, types, seqs, codes, 64), 2);
    assert_int_equal(seqs[0], 4);
    assert_int_equal(seqs[1], 5);
    link_on_ack(&L, 5, 20);
    assert_int_equal(L.count, 0);
    /* bytes: four maximal frames (1034 wire bytes each) do not fit 4096 bytes, three do */
    for (int i = 0; i < 4; i++)
        assert_true(link_queue(&L, T_SCAN, big, sizeof big, 20));
    link_poll(&L, 20);
    assert_int_equal(cap_frames(&C, types, seqs, codes, 64), 3);
    assert_true(L.inflight_bytes <= WINDOW_BYTES);
}

static void queue_is_bounded(void **state)
{
    (void)state;
    for (unsigned i = 0; i < TX_SLOTS; i++)
        assert_true(link_queue(&L, T_BUTTON, (const uint8_t *)"\x01", 1, 0));
    assert_false(link_queue(&L, T_BUTTON, (const uint8_t *)"\x01", 1, 0));
    assert_int_equal(link_free_slots(&L), 0);
    static uint8_t too_big[MAX_PAYLOAD + 1];
    link_reset_tx(&L);
    assert_false(link_queue(&L, T_SCAN, too_big, sizeof too_big, 0));
}

static void nak_goes_back_and_timeout_resends(void **state)
{
    (void)state;
    for (int i = 0; i < 3; i++)
        link_queue(&L, T_BUTTON, (const uint8_t *)"\x02", 1, 0);
    link_poll(&L, 0);
    assert_int_equal(cap_frames(&C, types, seqs, codes, 64), 3);
    link_on_nak(&L, 1, NAK_CRC, 5); /* 0 arrived, 1 damaged: resend 1 and 2 */
    link_poll(&L, 5);
    assert_int_equal(cap_frames(&C, types, seqs, codes, 64), 2);
    assert_int_equal(seqs[0], 1);
    assert_int_equal(seqs[1], 2);
    link_poll(&L, 5 + TX_RETRY_MS - 1);
    assert_int_equal(cap_frames(&C, types, seqs, codes, 64), 0);
    link_poll(&L, 5 + TX_RETRY_MS);
    assert_int_equal(cap_frames(&C, types, seqs, codes, 64), 2);
    assert_int_equal(seqs[0], 1);
    /* content NAK: the frame is done, not resent */
    link_on_nak(&L, 1, NAK_BAD_VALUE, 300);
    link_poll(&L, 300);
    assert_int_equal(cap_frames(&C, types, seqs, codes, 64), 0);
    assert_int_equal(L.count, 1);
    link_on_ack(&L, 2, 301);
    assert_int_equal(L.count, 0);
}

static void busy_waits_one_period(void **state)
{
    (void)state;
    link_queue(&L, T_BUTTON, (const uint8_t *)"\x02", 1, 0);
    link_poll(&L, 0);
    cap_frames(&C, types, seqs, codes, 64);
    link_on_nak(&L, 0, NAK_BUSY, 10);
    link_poll(&L, 11);
    assert_int_equal(cap_frames(&C, types, seqs, codes, 64), 0);
    link_poll(&L, 10 + TX_RETRY_MS);
    assert_int_equal(cap_frames(&C, types, seqs, codes, 64), 1);
}

static void older_clock_reading_does_not_resend(void **state)
{
    (void)state;
    link_queue(&L, T_BUTTON, (const uint8_t *)"\x01", 1, 1000);
    link_poll(&L, 1000);
    assert_int_equal(cap_frames(&C, types, seqs, codes, 64), 1);
    link_poll(&L, 999);
    assert_int_equal(cap_frames(&C, types, seqs, codes, 64), 0);
}

static void gives_up_after_resends(void **state)
{
    (void)state;
    link_queue(&L, T_BANNER, (const uint8_t *)"\x01", 1, 0);
    uint32_t now = 0;
    link_poll(&L, now);
    for (unsigned i = 0; i < TX_MAX_RESENDS; i++) {
        now += TX_RETRY_MS;
        link_poll(&L, now);
        assert_false(link_take_gave_up(&L));
    }
    assert_int_equal(cap_frames(&C, types, seqs, codes, 64), 1 + TX_MAX_RESENDS);
    now += TX_RETRY_MS;
    link_poll(&L, now);
    assert_true(link_take_gave_up(&L));
    assert_false(link_take_gave_up(&L));
    assert_int_equal(L.count, 0);
}

static void receive_sequence_rules(void **state)
{
    (void)state;
    assert_int_equal(link_accept(&L, 0, false), LINK_EXECUTE);
    link_complete(&L, 0, NAK_NONE);
    assert_int_equal(cap_frames(&C, types, seqs, codes, 64), 1);
    assert_int_equal(types[0], T_ACK);
    assert_int_equal(seqs[0], 0);
    /* duplicate of 0: ACK again, not executed */
    assert_int_equal(link_accept(&L, 0, false), LINK_IGNORE);
    assert_int_equal(cap_frames(&C, types, seqs, codes, 64), 1);
    assert_int_equal(types[0], T_ACK);
    assert_int_equal(seqs[0], 0);
    /* 2 and 3 while 1 expected: one NAK for the gap, naming 1 */
    assert_int_equal(link_accept(&L, 2, false), LINK_IGNORE);
    assert_int_equal(link_accept(&L, 3, false), LINK_IGNORE);
    assert_int_equal(cap_frames(&C, types, seqs, codes, 64), 1);
    assert_int_equal(types[0], T_NAK);
    assert_int_equal(seqs[0], 1);
    assert_int_equal(codes[0], NAK_OUT_OF_WINDOW);
    assert_int_equal(link_accept(&L, 1, false), LINK_EXECUTE);
    link_complete(&L, 1, NAK_BAD_LENGTH); /* consumed even when refused */
    assert_int_equal(cap_frames(&C, types, seqs, codes, 64), 1);
    assert_int_equal(codes[0], NAK_BAD_LENGTH);
    assert_int_equal(link_accept(&L, 2, false), LINK_EXECUTE);
    link_complete(&L, 2, NAK_NONE);
    /* wrap-around: resync at 254, then 255, 0 */
    assert_int_equal(link_accept(&L, 254, true), LINK_EXECUTE);
    link_complete(&L, 254, NAK_NONE);
    assert_int_equal(link_accept(&L, 255, false), LINK_EXECUTE);
    link_complete(&L, 255, NAK_NONE);
    assert_int_equal(link_accept(&L, 0, false), LINK_EXECUTE);
    link_complete(&L, 0, NAK_NONE);
    assert_int_equal(link_accept(&L, 255, false), LINK_IGNORE); /* duplicate across the wrap */
    cap_frames(&C, types, seqs, codes, 64);
}

static void ack_outside_window_is_ignored(void **state)
{
    (void)state;
    link_queue(&L, T_BUTTON, (const uint8_t *)"\x01", 1, 0);
    link_poll(&L, 0);
    link_on_ack(&L, 77, 1);
    link_on_nak(&L, 77, NAK_CRC, 1);
    assert_int_equal(L.count, 1);
    assert_int_equal(L.inflight, 1);
}

int run_link_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(window_caps_frames_and_bytes, setup),
        cmocka_unit_test_setup(queue_is_bounded, setup),
        cmocka_unit_test_setup(nak_goes_back_and_timeout_resends, setup),
        cmocka_unit_test_setup(busy_waits_one_period, setup),
        cmocka_unit_test_setup(older_clock_reading_does_not_resend, setup),
        cmocka_unit_test_setup(gives_up_after_resends, setup),
        cmocka_unit_test_setup(receive_sequence_rules, setup),
        cmocka_unit_test_setup(ack_outside_window_is_ignored, setup),
    };
    return cmocka_run_group_tests_name("link", tests, NULL, NULL);
}
