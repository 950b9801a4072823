/* Scanner line assembly: terminators, idle gap, AIM id, max length, noise. */
#include <stdlib.h>
#include <string.h>
#include "tests.h"
#include "scanner.h"

static struct scanner S;

static int setup(void **state)
{
    (void)state;
    struct scanner_config cfg;
    scanner_default_config(&cfg);
    scanner_init(&S, &cfg);
    return 0;
}

/* Feeds a string; returns the number of events, the last in *ev. */
static int feed(const char *s, size_t n, uint32_t now, struct scan_event *ev)
{
    int events = 0;
    struct scan_event e;
    for (size_t i = 0; i < n; i++)
        if (scanner_feed(&S, (uint8_t)s[i], now, &e)) {
            events++;
            *ev = e;
        }
    return events;
}

static void suffix_ends_and_aim_is_stripped(void **state)
{
    (void)state;
    struct scan_event ev;
    assert_int_equal(feed("]Q1NCFOXN%TS\r\n", 14, 0, &ev), 1);
    assert_int_equal(ev.kind, SCAN_EVENT_SCAN);
    assert_int_equal(ev.symbology, SYM_QR);
    assert_int_equal(ev.len, 9);
    assert_memory_equal(ev.data, "NCFOXN%TS", 9);
    assert_int_equal(feed("]d2ABC\n", 7, 1, &ev), 1);
    assert_int_equal(ev.symbology, SYM_DATAMATRIX);
    assert_int_equal(feed("PLAIN\r", 6, 2, &ev), 1);
    assert_int_equal(ev.symbology, SYM_UNKNOWN);
    assert_memory_equal(ev.data, "PLAIN", 5);
    /* lone terminators and bare AIM ids are nothing */
    assert_int_equal(feed("\r\n\r\n]Q1\r", 8, 3, &ev), 0);
    /* GS (FNC1) is data */
    assert_int_equal(feed("]Q3A\x1D" "B\r", 7, 4, &ev), 1);
    assert_int_equal(ev.len, 3);
}

static void aim_kept_when_not_stripping(void **state)
{
    (void)state;
    struct scanner_config cfg = {TERM_CR, 0, 100, 100, 0};
    scanner_init(&S, &cfg);
    struct scan_event ev;
    assert_int_equal(feed("]Q1AB\r", 6, 0, &ev), 1);
    assert_int_equal(ev.len, 5);
    assert_int_equal(ev.symbology, SYM_UNKNOWN);
}

static void idle_gap_abandons_or_ends(void **state)
{
    (void)state;
    struct scan_event ev;
    assert_int_equal(feed("]Q1HALF", 7, 1000, &ev), 0);
    assert_false(scanner_poll(&S, 1099, &ev));
    assert_true(scanner_poll(&S, 1100, &ev));
    assert_int_equal(ev.kind, SCAN_EVENT_DROPPED);
    assert_int_equal(ev.reason, DROP_INCOMPLETE);
    assert_int_equal(ev.seen, 7);
    /* no terminators: the gap ends the scan */
    struct scanner_config cfg = {0, SCAN_FLAG_STRIP_AIM, 50, SCAN_MAX_LEN, 0};
    scanner_init(&S, &cfg);
    assert_int_equal(feed("]Q1WHOLE", 8, 2000, &ev), 0);
    assert_false(scanner_poll(&S, 2049, &ev));
    assert_true(scanner_poll(&S, 2050, &ev));
    assert_int_equal(ev.kind, SCAN_EVENT_SCAN);
    assert_int_equal(ev.len, 5);
    assert_false(scanner_poll(&S, 5000, &ev));
}

/* Regression: the stm32 main loop once polled with a clock reading taken before the bytes it had just fed;
 * an unsigned "now - last" wrapped to 49 days and abandoned every line in progress. */
static void poll_with_an_older_clock_reading_is_not_a_gap(void **state)
{
    (void)state;
    struct scan_event ev;
    assert_int_equal(feed("]Q1PART", 7, 5000, &ev), 0);
    assert_false(scanner_poll(&S, 4999, &ev));
    assert_false(scanner_poll(&S, 5000, &ev));
    assert_int_equal(feed("REST\r", 5, 5001, &ev), 1);
    assert_int_equal(ev.kind, SCAN_EVENT_SCAN);
    assert_int_equal(ev.len, 8);
}

static void max_length_drops(void **state)
{
    (void)state;
    struct scanner_config cfg = {TERM_CR, SCAN_FLAG_STRIP_AIM, 100, 10, 0};
    scanner_init(&S, &cfg);
    struct scan_event ev;
    assert_int_equal(feed("0123456789\r", 11, 0, &ev), 1);
    assert_int_equal(ev.kind, SCAN_EVENT_SCAN);
    assert_int_equal(feed("0123456789X\r", 12, 1, &ev), 1);
    assert_int_equal(ev.kind, SCAN_EVENT_DROPPED);
    assert_int_equal(ev.reason, DROP_TOO_LONG);
    assert_int_equal(ev.seen, 11);
    /* the next scan is fine again */
    assert_int_equal(feed("OK\r", 3, 2, &ev), 1);
    assert_int_equal(ev.kind, SCAN_EVENT_SCAN);
    /* a full QR version 40 fits the default */
    scanner_default_config(&cfg);
    scanner_init(&S, &cfg);
    static char big[SCAN_MAX_LEN + 1];
    memset(big, 'A', SCAN_MAX_LEN);
    big[SCAN_MAX_LEN] = '\r';
    assert_int_equal(feed(big, sizeof big, 3, &ev), 1);
    assert_int_equal(ev.kind, SCAN_EVENT_SCAN);
    assert_int_equal(ev.len, SCAN_MAX_LEN);
}

static void control_bytes_and_uart_errors_are_noise(void **state)
{
    (void)state;
    struct scan_event ev;
    assert_int_equal(feed("AB\x01" "C\r", 5, 0, &ev), 1);
    assert_int_equal(ev.kind, SCAN_EVENT_DROPPED);
    assert_int_equal(ev.reason, DROP_NOISE);
    assert_int_equal(feed("AB", 2, 1, &ev), 0);
    scanner_error(&S, 1);
    assert_int_equal(feed("C\r", 2, 1, &ev), 1);
    assert_int_equal(ev.reason, DROP_NOISE);
    scanner_error(&S, 10); /* an error alone, then silence */
    assert_true(scanner_poll(&S, 200, &ev));
    assert_int_equal(ev.reason, DROP_NOISE);
}

static void engine_spewing_noise_stays_bounded(void **state)
{
    (void)state;
    srand(169);
    struct scan_event ev;
    unsigned scans = 0, drops = 0;
    for (uint32_t i = 0; i < 2000000; i++) {
        uint8_t b = (uint8_t)(rand() & 0xFF);
        if (scanner_feed(&S, b, i / 100, &ev)) {
            if (ev.kind == SCAN_EVENT_SCAN) {
                scans++;
                assert_true(ev.len <= S.cfg.max_len);
            } else {
                drops++;
                assert_true(ev.reason >= DROP_TOO_LONG && ev.reason <= DROP_NOISE);
            }
        }
        assert_true(S.len <= S.cfg.max_len);
        if (i % 1000 == 0)
            scanner_poll(&S, i / 100, &ev);
    }
    assert_true(drops > 0);
    print_message("noise: %u scans, %u drops from 2e6 random bytes\n", scans, drops);
}

static void config_ranges(void **state)
{
    (void)state;
    struct scanner_config ok = {TERM_CR | TERM_LF, 1, 100, 4296, 115200};
    assert_int_equal(scanner_check_config(&ok), NAK_NONE);
    struct scanner_config bad = ok;
    bad.max_len = SCAN_MAX_LEN + 1;
    assert_int_equal(scanner_check_config(&bad), NAK_BAD_VALUE);
    bad = ok;
    bad.idle_ms = 5;
    assert_int_equal(scanner_check_config(&bad), NAK_BAD_VALUE);
    bad = ok;
    bad.baud = 2000000;
    assert_int_equal(scanner_check_config(&bad), NAK_BAD_VALUE);
    bad = ok;
    bad.terminators = 0x10;
    assert_int_equal(scanner_check_config(&bad), NAK_BAD_VALUE);
}

int run_scanner_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(suffix_ends_and_aim_is_stripped, setup),
        cmocka_unit_test_setup(aim_kept_when_not_stripping, setup),
        cmocka_unit_test_setup(idle_gap_abandons_or_ends, setup),
        cmocka_unit_test_setup(poll_with_an_older_clock_reading_is_not_a_gap, setup),
        cmocka_unit_test_setup(max_length_drops, setup),
        cmocka_unit_test_setup(control_bytes_and_uart_errors_are_noise, setup),
        cmocka_unit_test_setup(engine_spewing_noise_stays_bounded, setup),
        cmocka_unit_test_setup(config_ranges, setup),
    };
    return cmocka_run_group_tests_name("scanner", tests, NULL, NULL);
}
