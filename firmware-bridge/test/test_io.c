/* Buttons (debounce, boot arming), LED / buzzer patterns, and the panel driver drawn through the emulator. */
#include <string.h>
#include "tests.h"
#include "harness.h"
#include "buttons.h"
#include "display.h"
#include "pattern.h"

#define COLOUR_BLUE_TEST 0x001Fu

static void debounce_and_bounce(void **state)
{
    (void)state;
    struct buttons b;
    buttons_init(&b);
    assert_int_equal(buttons_sample(&b, 0, 0), 0);
    /* bouncing contact: never stable for 30 ms */
    uint32_t t = 100;
    for (int i = 0; i < 10; i++, t += 5)
        assert_int_equal(buttons_sample(&b, (uint8_t)(i & 1), t), 0);
    assert_int_equal(buttons_sample(&b, 0, 160), 0);
    assert_int_equal(buttons_sample(&b, 0, 195), 0);
    /* held: one press after 30 ms stable, only once */
    assert_int_equal(buttons_sample(&b, 1, 200), 0);
    assert_int_equal(buttons_sample(&b, 1, 229), 0);
    assert_int_equal(buttons_sample(&b, 1, 230), 1);
    assert_int_equal(buttons_sample(&b, 1, 500), 0);
    /* release then NO */
    buttons_sample(&b, 0, 600);
    assert_int_equal(buttons_sample(&b, 0, 640), 0);
    buttons_sample(&b, 2, 700);
    assert_int_equal(buttons_sample(&b, 2, 735), 2);
}

static void held_at_boot_never_fires_until_released(void **state)
{
    (void)state;
    struct buttons b;
    buttons_init(&b);
    assert_int_equal(buttons_sample(&b, 3, 0), 0); /* both read pressed: e.g. QEMU's unmodelled GPIO reads 0 */
    for (uint32_t t = 10; t < 5000; t += 10)
        assert_int_equal(buttons_sample(&b, 3, t), 0);
    buttons_sample(&b, 2, 5000); /* YES released */
    buttons_sample(&b, 2, 5040);
    buttons_sample(&b, 3, 5100);
    assert_int_equal(buttons_sample(&b, 3, 5140), 1); /* YES now counts; NO still unarmed */
}

static void led_patterns(void **state)
{
    (void)state;
    struct pattern_player p = {LED_SLOW, 1000};
    assert_true(led_pattern_on(&p, 1000));
    assert_true(led_pattern_on(&p, 1499));
    assert_false(led_pattern_on(&p, 1500));
    assert_true(led_pattern_on(&p, 2000));
    p.pattern = LED_FAST;
    assert_true(led_pattern_on(&p, 1124));
    assert_false(led_pattern_on(&p, 1125));
    p.pattern = LED_FLASH;
    assert_true(led_pattern_on(&p, 1299));
    assert_false(led_pattern_on(&p, 1300));
    assert_false(led_pattern_on(&p, 100000));
    p.pattern = LED_ON;
    assert_true(led_pattern_on(&p, 123456));
    p.pattern = LED_OFF;
    assert_false(led_pattern_on(&p, 1000));
    /* time wraps at 2^32 ms */
    p.pattern = LED_FLASH;
    p.start = 0xFFFFFF00u;
    assert_true(led_pattern_on(&p, 0x10u));
}

static void buzzer_patterns(void **state)
{
    (void)state;
    struct pattern_player p = {BUZZ_ATTENTION, 0};
    assert_int_equal(buzzer_pattern_hz(&p, 0), 2700);
    assert_int_equal(buzzer_pattern_hz(&p, 119), 2700);
    assert_int_equal(buzzer_pattern_hz(&p, 120), 0);
    assert_int_equal(buzzer_pattern_hz(&p, 240), 2700);
    assert_int_equal(buzzer_pattern_hz(&p, 360), 0);
    assert_int_equal(buzzer_pattern_hz(&p, 10000), 0);
    p.pattern = BUZZ_ERROR;
    assert_int_equal(buzzer_pattern_hz(&p, 0), 1000);
    assert_int_equal(buzzer_pattern_hz(&p, 250), 0);
    assert_int_equal(buzzer_pattern_hz(&p, 450), 1000);
    assert_int_equal(buzzer_pattern_hz(&p, 800), 0);
    p.pattern = BUZZ_OK;
    assert_int_equal(buzzer_pattern_hz(&p, 79), 2700);
    assert_int_equal(buzzer_pattern_hz(&p, 80), 0);
    p.pattern = 200;
    assert_int_equal(buzzer_pattern_hz(&p, 0), 0);
}

static void panel_driver_draws_through_emulator(void **state)
{
    (void)state;
    struct fake *f = fake_new();
    const struct panel_bus *bus = &f->port.panel;
    /* before init the glass is dark whatever is written */
    display_fill(bus, 0, 0, 10, 10, COLOUR_WHITE);
    emu_expect_rgb(&f->emu, 5, 5, COLOUR_BLACK);
    ili9341_init(bus);
    assert_true(f->emu.display_on);
    assert_false(f->emu.sleeping);
    assert_int_equal(f->emu.colmod, 0x55);
    display_fill(bus, 0, 0, 240, 320, COLOUR_BLACK);
    display_fill(bus, 10, 20, 30, 40, COLOUR_RED);
    emu_expect_rgb(&f->emu, 10, 20, COLOUR_RED);   /* upright: (10,20) is top-left of the rectangle */
    emu_expect_rgb(&f->emu, 39, 59, COLOUR_RED);
    emu_expect_rgb(&f->emu, 40, 59, COLOUR_BLACK);
    emu_expect_rgb(&f->emu, 9, 20, COLOUR_BLACK);
    const uint8_t bits[] = {0xA0, 0x40}; /* 3 wide, 2 high: X.X / .X. */
    display_bitmap1(bus, 100, 100, 3, 2, COLOUR_GREEN, COLOUR_BLUE_TEST, bits);
    emu_expect_rgb(&f->emu, 100, 100, COLOUR_GREEN);
    emu_expect_rgb(&f->emu, 101, 100, COLOUR_BLUE_TEST);
    emu_expect_rgb(&f->emu, 102, 100, COLOUR_GREEN);
    emu_expect_rgb(&f->emu, 101, 101, COLOUR_GREEN);
    const uint8_t grey[] = {0, 255};
    display_grey8(bus, 200, 300, 2, 1, grey);
    emu_expect_rgb(&f->emu, 200, 300, COLOUR_BLACK);
    emu_expect_rgb(&f->emu, 201, 300, COLOUR_WHITE);
    const uint8_t rgb[] = {0xF8, 0x00, 0x00, 0x1F};
    display_rgb565(bus, 239, 318, 1, 2, rgb);
    emu_expect_rgb(&f->emu, 239, 318, COLOUR_RED);
    emu_expect_rgb(&f->emu, 239, 319, 0x001F);
    assert_int_equal(f->emu.errors, 0);
    /* text: the 'I' glyph has its middle column fully inked */
    uint16_t w = display_text(bus, 0, 0, 2, COLOUR_WHITE, COLOUR_BLACK, "I");
    assert_int_equal(w, 12);
    emu_expect_rgb(&f->emu, 4, 0, COLOUR_WHITE);
    emu_expect_rgb(&f->emu, 4, 13, COLOUR_WHITE);
    emu_expect_rgb(&f->emu, 0, 0, COLOUR_BLACK);
    fake_free(f);
}

static void rect_bounds(void **state)
{
    (void)state;
    assert_true(display_rect_ok(0, 0, 240, 320));
    assert_false(display_rect_ok(0, 0, 241, 1));
    assert_false(display_rect_ok(0, 319, 1, 2));
    assert_false(display_rect_ok(0, 0, 0, 1));
    assert_false(display_rect_ok(65535, 0, 2, 1)); /* no 16-bit wrap */
}

int run_io_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(debounce_and_bounce),
        cmocka_unit_test(held_at_boot_never_fires_until_released),
        cmocka_unit_test(led_patterns),
        cmocka_unit_test(buzzer_patterns),
        cmocka_unit_test(panel_driver_draws_through_emulator),
        cmocka_unit_test(rect_bounds),
    };
    return cmocka_run_group_tests_name("io", tests, NULL, NULL);
}
