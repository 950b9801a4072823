/* The whole core as one firmware: boot banner, handshake, drawing, scans, buttons, watchdog, noise. */
#include <stdlib.h>
#include <string.h>
#include "tests.h"
#include "harness.h"
#include "display.h"

static struct out_frame F[MAX_OUT_FRAMES];

static void boot_banner_and_screen(void **state)
{
    (void)state;
    struct fake *f = fake_new();
    fake_start(f, 0);
    size_t n = fake_frames(f, F, MAX_OUT_FRAMES);
    assert_int_equal(n, 1);
    assert_int_equal(F[0].type, T_BANNER);
    assert_int_equal(F[0].seq, 0);
    assert_int_equal(F[0].payload[0], PROTO_VERSION);
    assert_memory_equal(F[0].payload + 1, FW_VERSION, strlen(FW_VERSION));
    assert_true(f->emu.display_on);
    emu_expect_rgb(&f->emu, 5, 5, COLOUR_GREY);      /* title band */
    emu_expect_rgb(&f->emu, 5, 200, COLOUR_BLACK);
    assert_true(f->delay_total >= 120);              /* reset and sleep-out waits were asked for */
    /* nobody answers: BANNER resent, then given up quietly */
    for (uint32_t t = 0; t <= 2000; t += 10)
        bridge_poll(&f->bridge, t);
    assert_int_equal(fake_frames(f, F, MAX_OUT_FRAMES), TX_MAX_RESENDS);
    assert_int_equal(f->bridge.host, HOST_WAITING);
    fake_free(f);
}

static void handshake_and_version_mismatch(void **state)
{
    (void)state;
    struct fake *f = fake_new();
    fake_start(f, 0);
    fake_frames(f, F, MAX_OUT_FRAMES);
    const uint8_t v2 = 2;
    fake_send(f, T_HELLO, 9, &v2, 1, 10);
    assert_int_equal(fake_frames(f, F, MAX_OUT_FRAMES), 2);
    assert_int_equal(F[0].type, T_ACK);
    assert_int_equal(F[0].seq, 9);
    assert_int_equal(F[1].type, T_HELLO_OK);
    assert_int_equal(F[1].seq, 0);
    assert_int_equal(F[1].len, 12 + strlen(FW_VERSION));
    assert_int_equal(F[1].payload[0], PROTO_VERSION);
    assert_int_equal(get_u16(F[1].payload + 3), 240);
    assert_int_equal(get_u16(F[1].payload + 5), 320);
    assert_int_equal(F[1].payload[7], WINDOW_FRAMES);
    assert_int_equal(get_u16(F[1].payload + 8), WINDOW_BYTES);
    assert_int_equal(get_u16(F[1].payload + 10), MAX_PAYLOAD);
    assert_int_equal(f->bridge.host, HOST_MISMATCH);
    emu_expect_rgb(&f->emu, 5, 5, COLOUR_RED);
    fake_send(f, T_ACK, 0, NULL, 0, 11);
    fake_hello(f, 20);
    assert_int_equal(f->bridge.host, HOST_ONLINE);
    emu_expect_rgb(&f->emu, 5, 5, COLOUR_GREEN);
    fake_free(f);
}

static void draws_a_screen_and_acks_each_frame(void **state)
{
    (void)state;
    struct fake *f = fake_new();
    fake_start(f, 0);
    fake_frames(f, F, MAX_OUT_FRAMES);
    fake_hello(f, 1);
    uint8_t p[MAX_PAYLOAD];
    uint8_t seq = 1;
    put_u16(p, 7);
    fake_send(f, T_SCREEN_BEGIN, seq++, p, 2, 2);
    const uint16_t fill[] = {0, 0, 240, 80, COLOUR_GREEN};
    for (int i = 0; i < 5; i++)
        put_u16(p + 2 * i, fill[i]);
    fake_send(f, T_FILL_RECT, seq++, p, 10, 3);
    /* photo: 120×150 grey in rows of 8 (8*120 = 960 bytes + 8 header) */
    for (uint16_t y = 0; y < 150; y += 8) {
        uint16_t rows = (uint16_t)(150 - y < 8 ? 150 - y : 8);
        const uint16_t hdr[] = {60, (uint16_t)(100 + y), 120, rows};
        for (int i = 0; i < 4; i++)
            put_u16(p + 2 * i, hdr[i]);
        memset(p + 8, 0x80, (size_t)120 * rows);
        fake_send(f, T_IMAGE_GREY8, seq++, p, 8u + 120u * rows, 4);
    }
    put_u16(p, 7);
    fake_send(f, T_SCREEN_END, seq++, p, 2, 5);
    size_t n = fake_frames(f, F, MAX_OUT_FRAMES);
    assert_int_equal(n, (size_t)(seq - 1));
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(F[i].type, T_ACK);
        assert_int_equal(F[i].seq, i + 1);
    }
    assert_int_equal(f->screens_done, 1);
    emu_expect_rgb(&f->emu, 120, 40, COLOUR_GREEN);
    emu_expect_rgb(&f->emu, 60, 100, RGB565(0x80, 0x80, 0x80));
    emu_expect_rgb(&f->emu, 179, 249, RGB565(0x80, 0x80, 0x80));
    assert_int_equal(f->emu.errors, 0);
    fake_free(f);
}

static void leds_buzzer_and_config(void **state)
{
    (void)state;
    struct fake *f = fake_new();
    fake_start(f, 0);
    fake_frames(f, F, MAX_OUT_FRAMES);
    fake_hello(f, 1);
    const uint8_t led[] = {LED_ON, LED_OFF};
    fake_send(f, T_LED, 1, led, 2, 100);
    bridge_poll(&f->bridge, 100);
    assert_true(f->green);
    assert_false(f->red);
    const uint8_t buzz = BUZZ_OK;
    fake_send(f, T_BUZZER, 2, &buzz, 1, 100);
    bridge_poll(&f->bridge, 100);
    assert_int_equal(f->hz, 2700);
    bridge_poll(&f->bridge, 180);
    assert_int_equal(f->hz, 0);
    const uint8_t cfg[] = {TERM_LF, 0, 0, 50, 0, 100, 0, 0, 0x25, 0x80}; /* 9600 baud */
    fake_send(f, T_SCANNER_CONFIG, 3, cfg, sizeof cfg, 200);
    assert_int_equal(f->baud, 9600);
    assert_int_equal(f->bridge.scanner.cfg.max_len, 100);
    const uint8_t bad_cfg[] = {TERM_LF, 0, 0, 1, 0, 100, 0, 0, 0, 0}; /* idle 1 ms */
    fake_send(f, T_SCANNER_CONFIG, 4, bad_cfg, sizeof bad_cfg, 200);
    size_t n = fake_frames(f, F, MAX_OUT_FRAMES);
    assert_int_equal(F[n - 1].type, T_NAK);
    assert_int_equal(F[n - 1].seq, 4);
    assert_int_equal(F[n - 1].payload[0], NAK_BAD_VALUE);
    fake_send(f, 0x81, 5, NULL, 0, 200); /* a firmware-to-host type sent to the firmware */
    n = fake_frames(f, F, MAX_OUT_FRAMES);
    assert_int_equal(F[n - 1].payload[0], NAK_BAD_TYPE);
    fake_free(f);
}

static void scans_become_frames_in_pieces(void **state)
{
    (void)state;
    struct fake *f = fake_new();
    fake_start(f, 0);
    fake_frames(f, F, MAX_OUT_FRAMES);
    fake_hello(f, 1);
    static char line[3 + 2500 + 2];
    memcpy(line, "]Q1", 3);
    for (int i = 0; i < 2500; i++)
        line[3 + i] = (char)('A' + i % 26);
    memcpy(line + 2503, "\r\n", 2);
    bridge_scanner_bytes(&f->bridge, (const uint8_t *)line, sizeof line, 10);
    size_t n = fake_frames(f, F, MAX_OUT_FRAMES);
    assert_int_equal(n, 3); /* 1018 + 1018 + 464 */
    uint16_t expect_off = 0;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(F[i].type, T_SCAN);
        assert_int_equal(F[i].payload[0], 1); /* scan id */
        assert_int_equal(F[i].payload[1], SYM_QR);
        assert_int_equal(get_u16(F[i].payload + 2), 2500);
        assert_int_equal(get_u16(F[i].payload + 4), expect_off);
        assert_memory_equal(F[i].payload + 6, line + 3 + expect_off, F[i].len - 6u);
        expect_off = (uint16_t)(expect_off + F[i].len - 6u);
        fake_send(f, T_ACK, F[i].seq, NULL, 0, 11);
    }
    assert_int_equal(expect_off, 2500);
    assert_int_equal(f->bridge.link.count, 0);
    /* a noisy line: one DROPPED frame, no content */
    bridge_scanner_bytes(&f->bridge, (const uint8_t *)"]Q1AB\x02" "CD\r", 9, 20);
    n = fake_frames(f, F, MAX_OUT_FRAMES);
    assert_int_equal(n, 1);
    assert_int_equal(F[0].type, T_DROPPED);
    assert_int_equal(F[0].len, 3);
    assert_int_equal(F[0].payload[0], DROP_NOISE);
    assert_int_equal(get_u16(F[0].payload + 1), 8);
    fake_free(f);
}

static void noise_spew_never_floods_the_link(void **state)
{
    (void)state;
    struct fake *f = fake_new();
    fake_start(f, 0);
    fake_frames(f, F, MAX_OUT_FRAMES);
    fake_hello(f, 1);
    srand(7);
    uint8_t chunk[64];
    size_t drops = 0, scans = 0;
    for (uint32_t t = 2; t < 2000; t++) { /* ~128 KB of noise over 2 s, host ACKs everything */
        for (size_t i = 0; i < sizeof chunk; i++)
            chunk[i] = (uint8_t)rand();
        bridge_scanner_bytes(&f->bridge, chunk, sizeof chunk, t);
        if (t % 250 == 0)
            fake_send(f, T_HEARTBEAT, (uint8_t)(t / 250), NULL, 0, t);
        bridge_poll(&f->bridge, t);
        size_t n = fake_frames(f, F, MAX_OUT_FRAMES);
        for (size_t i = 0; i < n; i++) {
            if (F[i].type == T_ACK)
                continue;
            assert_true(F[i].type == T_DROPPED || F[i].type == T_SCAN);
            if (F[i].type == T_DROPPED) {
                drops++;
            } else { /* noise that happens to look like a scan: printable, bounded, forwarded */
                scans++;
                assert_true(F[i].len > 6);
                for (size_t k = 6; k < F[i].len; k++)
                    assert_true(F[i].payload[k] >= 0x20 || F[i].payload[k] == 0x1D);
            }
            assert_true(f->bridge.link.count <= TX_SLOTS);
            fake_send(f, T_ACK, F[i].seq, NULL, 0, t);
        }
        fake_frames(f, F, MAX_OUT_FRAMES);
    }
    print_message("noise: %zu DROPPED, %zu SCAN frames, %u drops unreported\n", drops, scans, f->bridge.stats.drops_unreported);
    assert_true(drops > 0);
    assert_true(drops <= 2000 / 250 + 1); /* DROPPED reports are rate limited to one per 250 ms */
    assert_true(f->bridge.stats.drops_unreported > 0);
    assert_int_equal(f->bridge.host, HOST_ONLINE);
    fake_free(f);
}

static void buttons_send_frames_only_when_online(void **state)
{
    (void)state;
    struct fake *f = fake_new();
    fake_start(f, 0);
    fake_frames(f, F, MAX_OUT_FRAMES);
    bridge_buttons(&f->bridge, 0, 0);
    bridge_buttons(&f->bridge, 1, 10);
    bridge_buttons(&f->bridge, 1, 50);
    bridge_poll(&f->bridge, 50);
    assert_int_equal(fake_frames(f, F, MAX_OUT_FRAMES), 0); /* not online yet */
    bridge_buttons(&f->bridge, 0, 60);
    bridge_buttons(&f->bridge, 0, 100);
    fake_hello(f, 100);
    bridge_buttons(&f->bridge, 2, 110);
    bridge_buttons(&f->bridge, 2, 140);
    bridge_poll(&f->bridge, 140);
    assert_int_equal(fake_frames(f, F, MAX_OUT_FRAMES), 1);
    assert_int_equal(F[0].type, T_BUTTON);
    assert_int_equal(F[0].payload[0], BUTTON_NO);
    fake_free(f);
}

static void watchdog_draws_host_offline_and_banner_on_return(void **state)
{
    (void)state;
    struct fake *f = fake_new();
    fake_start(f, 0);
    fake_frames(f, F, MAX_OUT_FRAMES);
    fake_hello(f, 1000);
    /* heartbeats keep it online */
    for (uint32_t t = 1000; t <= 6000; t += 1000) {
        fake_send(f, T_HEARTBEAT, (uint8_t)(t / 1000), NULL, 0, t);
        bridge_poll(&f->bridge, t + 500);
    }
    fake_frames(f, F, MAX_OUT_FRAMES);
    assert_int_equal(f->bridge.host, HOST_ONLINE);
    bridge_poll(&f->bridge, 5999); /* a clock reading older than the last frame's stamp is not a 49-day silence */
    assert_int_equal(f->bridge.host, HOST_ONLINE);
    bridge_poll(&f->bridge, 6000 + HOST_WATCHDOG_MS - 1);
    assert_int_equal(f->bridge.host, HOST_ONLINE);
    bridge_poll(&f->bridge, 6000 + HOST_WATCHDOG_MS);
    assert_int_equal(f->bridge.host, HOST_OFFLINE);
    emu_expect_rgb(&f->emu, 5, 5, COLOUR_RED);       /* red band */
    emu_expect_rgb(&f->emu, 120, 250, COLOUR_BLACK); /* the rest cleared: no stale verdict or photo */
    /* "HOST OFFLINE" at scale 3 is 12 cells of 18 px = 216 px wide, centred at y 22: some white ink there */
    unsigned ink = 0;
    uint8_t rgb[3];
    for (unsigned y = 22; y < 46; y++)
        for (unsigned x = 12; x < 228; x++) {
            emu_pixel_rgb(&f->emu, x, y, rgb);
            ink += rgb[0] == 255 && rgb[1] == 255 && rgb[2] == 255;
        }
    assert_true(ink > 500);
    bridge_poll(&f->bridge, 9100);
    assert_false(f->green);
    assert_true(f->red); /* slow blink, on phase */
    /* a scan while offline is not queued */
    bridge_scanner_bytes(&f->bridge, (const uint8_t *)"]Q1LATE\r", 8, 9200);
    bridge_poll(&f->bridge, 9200);
    assert_int_equal(fake_frames(f, F, MAX_OUT_FRAMES), 0);
    assert_int_equal(f->hz, 1000); /* local error beep */
    /* the host comes back mid-session: gets ACK + BANNER, says HELLO, is online again */
    fake_send(f, T_HEARTBEAT, 7, NULL, 0, 9300);
    size_t n = fake_frames(f, F, MAX_OUT_FRAMES);
    assert_int_equal(n, 2);
    assert_int_equal(F[0].type, T_ACK);
    assert_int_equal(F[1].type, T_BANNER);
    fake_send(f, T_ACK, 0, NULL, 0, 9300);
    fake_hello(f, 9400);
    assert_int_equal(f->bridge.host, HOST_ONLINE);
    fake_free(f);
}

static void unanswered_frames_take_the_host_offline(void **state)
{
    (void)state;
    struct fake *f = fake_new();
    fake_start(f, 0);
    fake_frames(f, F, MAX_OUT_FRAMES);
    fake_hello(f, 0);
    bridge_scanner_bytes(&f->bridge, (const uint8_t *)"]Q1X\r", 5, 10);
    uint32_t t = 10;
    for (; t < 2000 && f->bridge.host == HOST_ONLINE; t += 50) {
        if (t % 500 == 0)
            fake_send(f, T_HEARTBEAT, (uint8_t)(t / 500), NULL, 0, t); /* alive but never ACKs the scan */
        bridge_poll(&f->bridge, t);
    }
    assert_int_equal(f->bridge.host, HOST_OFFLINE);
    assert_true(t <= 10 + (TX_MAX_RESENDS + 2) * TX_RETRY_MS);
    fake_free(f);
}

/* A host (or a line) spewing garbage: every reply is a well-formed frame, memory stays fixed, nothing crashes. */
static void host_link_garbage_is_answered_with_valid_frames_only(void **state)
{
    (void)state;
    struct fake *f = fake_new();
    fake_start(f, 0);
    fake_frames(f, F, MAX_OUT_FRAMES);
    fake_hello(f, 1);
    srand(1169);
    uint8_t chunk[257];
    for (uint32_t t = 2; t < 3000; t++) {
        for (size_t i = 0; i < sizeof chunk; i++) /* zero-heavy, so many short "frames" are delimited */
            chunk[i] = (rand() % 8 == 0) ? 0 : (uint8_t)rand();
        bridge_host_bytes(&f->bridge, chunk, sizeof chunk, t);
        bridge_poll(&f->bridge, t);
        size_t n = fake_frames(f, F, MAX_OUT_FRAMES); /* fails the test on any malformed output */
        for (size_t i = 0; i < n; i++)
            assert_true(F[i].type == T_ACK || F[i].type == T_NAK || F[i].type == T_BANNER ||
                        F[i].type == T_HELLO_OK || F[i].type == T_ERROR);
        assert_true(f->bridge.link.count <= TX_SLOTS);
    }
    assert_true(f->bridge.stats.bad_frames_in > 1000);
    fake_free(f);
}

int run_bridge_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(boot_banner_and_screen),
        cmocka_unit_test(handshake_and_version_mismatch),
        cmocka_unit_test(draws_a_screen_and_acks_each_frame),
        cmocka_unit_test(leds_buzzer_and_config),
        cmocka_unit_test(scans_become_frames_in_pieces),
        cmocka_unit_test(noise_spew_never_floods_the_link),
        cmocka_unit_test(buttons_send_frames_only_when_online),
        cmocka_unit_test(watchdog_draws_host_offline_and_banner_on_return),
        cmocka_unit_test(unanswered_frames_take_the_host_offline),
        cmocka_unit_test(host_link_garbage_is_answered_with_valid_frames_only),
    };
    return cmocka_run_group_tests_name("bridge", tests, NULL, NULL);
}
