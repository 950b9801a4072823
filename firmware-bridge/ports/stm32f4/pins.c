/* GPIO (RM0383 §8.4). */
#include "pins.h"
#include "regs.h"

static void gpio_mode(uint32_t port, uint32_t pin, uint32_t mode)
{
    GPIO_MODER(port) = (GPIO_MODER(port) & ~(3u << (2u * pin))) | (mode << (2u * pin));
    GPIO_OSPEEDR(port) |= 2u << (2u * pin); /* fast: clean SPI and UART edges */
}
static void gpio_output(uint32_t port, uint32_t pin) { gpio_mode(port, pin, 1u); }
static void gpio_af(uint32_t port, uint32_t pin, uint32_t af)
{
    uint32_t shift = 4u * (pin % 8u);
    GPIO_AFR(port, pin) = (GPIO_AFR(port, pin) & ~(0xFu << shift)) | (af << shift);
    gpio_mode(port, pin, 2u);
}
static void gpio_input_pullup(uint32_t port, uint32_t pin)
{
    gpio_mode(port, pin, 0u);
    GPIO_PUPDR(port) = (GPIO_PUPDR(port) & ~(3u << (2u * pin))) | (1u << (2u * pin));
}
void gpio_write(uint32_t port, uint32_t pin, bool high)
{
    GPIO_BSRR(port) = high ? (1u << pin) : (1u << (pin + 16u)); /* atomic set/reset (§8.4.7) */
}
static bool gpio_read(uint32_t port, uint32_t pin) { return (GPIO_IDR(port) >> pin) & 1u; }

void pins_init(void)
{
    RCC_AHB1ENR |= 0x7u; /* GPIOA, GPIOB, GPIOC clocks (§6.3.9) */
    gpio_af(PORT(PIN_HOST_TX), PIN(PIN_HOST_TX), PIN_AF_HOST_TX);
    gpio_af(PORT(PIN_HOST_RX), PIN(PIN_HOST_RX), PIN_AF_HOST_RX);
    gpio_af(PORT(PIN_SCANNER_TX), PIN(PIN_SCANNER_TX), PIN_AF_SCANNER_TX);
    gpio_af(PORT(PIN_SCANNER_RX), PIN(PIN_SCANNER_RX), PIN_AF_SCANNER_RX);
    gpio_af(PORT(PIN_TFT_SCK), PIN(PIN_TFT_SCK), PIN_AF_TFT_SCK);
    gpio_af(PORT(PIN_TFT_MISO), PIN(PIN_TFT_MISO), PIN_AF_TFT_MISO);
    gpio_af(PORT(PIN_TFT_MOSI), PIN(PIN_TFT_MOSI), PIN_AF_TFT_MOSI);
    gpio_af(PORT(PIN_BUZZER), PIN(PIN_BUZZER), PIN_AF_BUZZER);
    gpio_write(PORT(PIN_TFT_CS), PIN(PIN_TFT_CS), true);
    gpio_output(PORT(PIN_TFT_CS), PIN(PIN_TFT_CS));
    gpio_output(PORT(PIN_TFT_DC), PIN(PIN_TFT_DC));
    gpio_output(PORT(PIN_TFT_RESET), PIN(PIN_TFT_RESET));
    gpio_output(PORT(PIN_TFT_BACKLIGHT), PIN(PIN_TFT_BACKLIGHT));
    gpio_write(PORT(PIN_TFT_BACKLIGHT), PIN(PIN_TFT_BACKLIGHT), true);
    gpio_output(PORT(PIN_LED_GREEN), PIN(PIN_LED_GREEN));
    gpio_output(PORT(PIN_LED_RED), PIN(PIN_LED_RED));
    gpio_input_pullup(PORT(PIN_BUTTON_YES), PIN(PIN_BUTTON_YES));
    gpio_input_pullup(PORT(PIN_BUTTON_NO), PIN(PIN_BUTTON_NO));
}

void leds(void *ctx, bool green, bool red)
{
    (void)ctx;
    gpio_write(PORT(PIN_LED_GREEN), PIN(PIN_LED_GREEN), green);
    gpio_write(PORT(PIN_LED_RED), PIN(PIN_LED_RED), red);
}

/* Buttons are active low (pull-up, switch to GND). */
uint8_t buttons_raw(void)
{
    uint8_t raw = 0;
    if (!gpio_read(PORT(PIN_BUTTON_YES), PIN(PIN_BUTTON_YES)))
        raw |= 1u;
    if (!gpio_read(PORT(PIN_BUTTON_NO), PIN(PIN_BUTTON_NO)))
        raw |= 2u;
    return raw;
}
