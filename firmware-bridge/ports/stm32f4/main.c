/* stm32f4 port: the bridge core on an STM32F411RE (Nucleo-F411RE), register level, no vendor HAL.
 * The same ELF boots in QEMU netduinoplus2 (STM32F405): same USART/SPI/TIM/GPIO addresses and IRQ numbers, but no
 * RCC or GPIO model (reads return 0) — so every wait on a hardware flag below is bounded. */
#include <stdbool.h>
#include <stdint.h>
#include "../../boards/nucleo_f411re.h"
#include "../../core/bridge.h"
#include "regs.h"

#define HSI_HZ 16000000u
#define PLL_SYSCLK_HZ 96000000u
/* QEMU's netduinoplus2 models the F405's fixed 168 MHz system clock, which drives SysTick. */
#define EMULATED_SYSCLK_HZ 168000000u
#define SPIN_LIMIT 200000u

#define PORT_OF(port, pin) (port)
#define PIN_OF(port, pin) (pin)
#define PORT(sig) PORT_OF(sig)
#define PIN(sig) PIN_OF(sig)

void systick_handler(void);
void usart1_handler(void);
void usart2_handler(void);

static volatile uint32_t ticks_ms;
static uint32_t sysclk_hz = HSI_HZ, apb1_hz = HSI_HZ, apb2_hz = HSI_HZ;

/* ---- interrupt-fed receive rings (single producer: ISR, single consumer: main loop) ---- */

#define HOST_RING 8192u /* ≥ 2 × the 4096-byte window: a full window never overflows it */
/* The main loop is busy while it draws: a full-panel FILL_RECT is 153,600 bytes of SPI at 6 MHz ≈ 205 ms, during
 * which a 115200-baud engine delivers ≈ 2.4 KB. 4096 bytes cover 355 ms at 115200 (a power of two: index masks). */
#define SCANNER_RING 4096u

struct ring {
    volatile uint16_t head, tail;
    volatile uint16_t overflows, errors;
};
static struct ring host_ring, scanner_ring;
static uint8_t host_buf[HOST_RING], scanner_buf[SCANNER_RING];

static void ring_put(struct ring *r, uint8_t *buf, uint16_t size, uint8_t b)
{
    uint16_t next = (uint16_t)((r->head + 1u) & (size - 1u));
    if (next == r->tail) {
        r->overflows++;
        return;
    }
    buf[r->head] = b;
    r->head = next;
}

static size_t ring_take(struct ring *r, const uint8_t *buf, uint16_t size, uint8_t *out, size_t max)
{
    size_t n = 0;
    while (n < max && r->tail != r->head) {
        out[n++] = buf[r->tail];
        r->tail = (uint16_t)((r->tail + 1u) & (size - 1u));
    }
    return n;
}

static void usart_irq(uint32_t base, struct ring *r, uint8_t *buf, uint16_t size)
{
    uint32_t sr = USART_SR(base);
    uint8_t b = (uint8_t)USART_DR(base); /* reading SR then DR clears RXNE, ORE, NF, FE (RM0383 §19.6.1) */
    if (sr & (USART_SR_ORE | USART_SR_FE | USART_SR_NF))
        r->errors++;
    if (sr & USART_SR_RXNE)
        ring_put(r, buf, size, b);
}

void usart1_handler(void) { usart_irq(USART1_BASE, &scanner_ring, scanner_buf, SCANNER_RING); }
void usart2_handler(void) { usart_irq(USART2_BASE, &host_ring, host_buf, HOST_RING); }
void systick_handler(void) { ticks_ms++; }

/* ---- clocks: HSI 16 MHz → PLL 96 MHz, APB1 48 MHz, APB2 96 MHz (RM0383 §6.2, §6.3.2) ---- */

static bool spin_until(volatile uint32_t *reg, uint32_t mask, uint32_t value)
{
    for (uint32_t i = 0; i < SPIN_LIMIT; i++)
        if ((*reg & mask) == value)
            return true;
    return false;
}

static void clock_init(void)
{
    if (!(RCC_CR & RCC_CR_HSION)) {
        /* HSION reads 1 from reset on silicon: RCC is not there, this is the emulator */
        sysclk_hz = apb1_hz = apb2_hz = EMULATED_SYSCLK_HZ;
        return;
    }
    RCC_APB1ENR |= RCC_APB1ENR_PWREN;                     /* PWR clock (§6.3.11) */
    PWR_CR |= PWR_CR_VOS_SCALE1;                          /* scale 1 for > 84 MHz, before the PLL (§5.4.1) */
    FLASH_ACR = FLASH_ACR_LATENCY_3WS | FLASH_ACR_PRFTEN | FLASH_ACR_ICEN | FLASH_ACR_DCEN; /* before SYSCLK rises (§3.4.1, §3.8.1) */
    /* PLLM 16 (1 MHz in), PLLN 192 (VCO 192 MHz), PLLP /2 (96 MHz), PLLQ 4 (48 MHz), source HSI (§6.3.2);
     * the reserved bits keep their reset value (§6.3.2: "must be kept at reset value") */
    RCC_PLLCFGR = (RCC_PLLCFGR & RCC_PLLCFGR_RESERVED) | 16u | (192u << 6) | (0u << 16) | (4u << 24);
    RCC_CR |= RCC_CR_PLLON; /* PLLRDY below (§6.3.1); bounded: no RCC model in QEMU */
    if (!spin_until(&RCC_CR, RCC_CR_PLLRDY, RCC_CR_PLLRDY))
        return; /* stay on HSI: slower, still correct (baud rates are computed from the real clocks) */
    RCC_CFGR = RCC_CFGR_PPRE1_DIV2 | RCC_CFGR_SW_PLL; /* APB1 /2 (≤ 50 MHz), SYSCLK = PLL; SWS below (§6.3.3) */
    if (spin_until(&RCC_CFGR, RCC_CFGR_SWS_MASK, RCC_CFGR_SWS_PLL)) {
        sysclk_hz = apb2_hz = PLL_SYSCLK_HZ;
        apb1_hz = PLL_SYSCLK_HZ / 2u;
    }
}

static void systick_init(void)
{
    SYST_RVR = sysclk_hz / 1000u - 1u; /* 1 ms; fits the 24-bit reload at 168 MHz */
    SYST_CVR = 0;
    SYST_CSR = 0x7u; /* ENABLE | TICKINT | CLKSOURCE = processor clock (ARMv7-M B3.3.3) */
}

static uint32_t millis(void) { return ticks_ms; }

static void delay_ms(void *ctx, uint32_t ms)
{
    (void)ctx;
    uint32_t start = millis();
    for (uint32_t spins = 0; (uint32_t)(millis() - start) < ms && spins < ms * 100000u; spins++)
        __asm__ volatile("nop");
}

/* ---- GPIO (RM0383 §8.4) ---- */

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
static void gpio_write(uint32_t port, uint32_t pin, bool high)
{
    GPIO_BSRR(port) = high ? (1u << pin) : (1u << (pin + 16u)); /* atomic set/reset (§8.4.7) */
}
static bool gpio_read(uint32_t port, uint32_t pin) { return (GPIO_IDR(port) >> pin) & 1u; }

static void pins_init(void)
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

/* ---- USART (RM0383 §19.3.4: BRR = f_PCLK / baud with 16× oversampling, 4 fraction bits) ---- */

static void usart_init(uint32_t base, uint32_t pclk, uint32_t baud, uint32_t irq)
{
    USART_CR1(base) = 0;
    USART_BRR(base) = (pclk + baud / 2u) / baud;
    USART_CR2(base) = 0; /* 1 stop bit */
    USART_CR3(base) = 0; /* no flow control */
    USART_CR1(base) = USART_CR1_UE | USART_CR1_TE | USART_CR1_RE | USART_CR1_RXNEIE; /* 8N1 */
    NVIC_ISER(irq / 32u) = 1u << (irq % 32u); /* enable the USART's IRQ line (ARMv7-M B3.4.4; numbers §10.2) */
}

static void usart_write(uint32_t base, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        spin_until(&USART_SR(base), USART_SR_TXE, USART_SR_TXE); /* TXE (§19.6.1), bounded */
        USART_DR(base) = data[i];                                  /* §19.6.2 */
    }
}

/* ---- SPI1 master, mode 0, 8 bit, f_PCLK2 / 16 = 6 MHz (ILI9341 write cycle ≥ 100 ns) (RM0383 §20.3.3) ---- */

static void spi_init(void)
{
    RCC_APB2ENR |= RCC_APB2ENR_SPI1EN; /* §6.3.14 */
    SPI_CR1 = SPI_CR1_MSTR | SPI_CR1_BR_DIV16 | SPI_CR1_SSM | SPI_CR1_SSI; /* CPOL 0, CPHA 0, 8 bit, MSB first (§20.5.1) */
    SPI_CR1 |= SPI_CR1_SPE;
}

static void spi_drain(void)
{
    spin_until(&SPI_SR, SPI_SR_TXE, SPI_SR_TXE);
    spin_until(&SPI_SR, SPI_SR_BSY, 0); /* the last bit is out before D/C or CS change (§20.3.8) */
}

static void p_select(void *ctx, bool selected)
{
    (void)ctx;
    spi_drain();
    gpio_write(PORT(PIN_TFT_CS), PIN(PIN_TFT_CS), !selected);
}
static void p_dc(void *ctx, bool data)
{
    (void)ctx;
    spi_drain();
    gpio_write(PORT(PIN_TFT_DC), PIN(PIN_TFT_DC), data);
}
static void p_write(void *ctx, const uint8_t *bytes, size_t len)
{
    (void)ctx;
    for (size_t i = 0; i < len; i++) {
        spin_until(&SPI_SR, SPI_SR_TXE, SPI_SR_TXE); /* TXE: DR may take the next byte (§20.5.3, bounded) */
        SPI_DR = bytes[i];                            /* §20.5.4 */
    }
}
static void p_reset(void *ctx, bool asserted)
{
    (void)ctx;
    gpio_write(PORT(PIN_TFT_RESET), PIN(PIN_TFT_RESET), !asserted);
}

/* ---- buzzer: TIM3 CH1 PWM, 1 MHz timer tick (RM0383 §13.3.9) ---- */

static uint32_t tim3_hz(void) { return apb1_hz == sysclk_hz ? apb1_hz : apb1_hz * 2u; } /* ×2 when APB1 is divided */

static void buzzer_init(void)
{
    RCC_APB1ENR |= RCC_APB1ENR_TIM3EN; /* §6.3.13 */
    TIM3_PSC = tim3_hz() / 1000000u - 1u; /* registers: §13.4 */
    TIM3_CCMR1 = (6u << 4) | (1u << 3); /* OC1M = PWM mode 1, OC1PE preload */
    TIM3_CCER = 1u;                     /* CC1E */
    TIM3_CCR1 = 0;
    TIM3_ARR = 1000u;
    TIM3_EGR = 1u;
    TIM3_CR1 = (1u << 7) | 1u; /* ARPE | CEN */
}

static void buzzer(void *ctx, uint16_t hz)
{
    (void)ctx;
    if (hz == 0) {
        TIM3_CCR1 = 0;
        return;
    }
    uint32_t period = 1000000u / hz;
    TIM3_ARR = period - 1u;  /* preloaded (ARPE): takes effect at the next update, no glitch (§13.3.1) */
    TIM3_CCR1 = period / 2u; /* 50 % duty (§13.4.14) */
}

static void leds(void *ctx, bool green, bool red)
{
    (void)ctx;
    gpio_write(PORT(PIN_LED_GREEN), PIN(PIN_LED_GREEN), green);
    gpio_write(PORT(PIN_LED_RED), PIN(PIN_LED_RED), red);
}

static void host_write(void *ctx, const uint8_t *data, size_t len)
{
    (void)ctx;
    usart_write(USART2_BASE, data, len);
}

static void scanner_baud(void *ctx, uint32_t baud)
{
    (void)ctx;
    usart_init(USART1_BASE, apb2_hz, baud, IRQ_USART1);
}

/* Buttons are active low (pull-up, switch to GND). */
static uint8_t buttons_raw(void)
{
    uint8_t raw = 0;
    if (!gpio_read(PORT(PIN_BUTTON_YES), PIN(PIN_BUTTON_YES)))
        raw |= 1u;
    if (!gpio_read(PORT(PIN_BUTTON_NO), PIN(PIN_BUTTON_NO)))
        raw |= 2u;
    return raw;
}

/* Independent watchdog, ~2 s: LSI 32 kHz / 64 = 500 Hz, reload 1000 (RM0383 §15.3). */
static void iwdg_init(void)
{
    IWDG_KR = 0x5555u; /* unlock PR and RLR (§15.4.1) */
    IWDG_PR = 4u;      /* /64 (§15.4.2) */
    IWDG_RLR = 1000u;  /* §15.4.3 */
    IWDG_KR = 0xCCCCu; /* start; the LSI starts with it (§15.3.1) */
}

static const struct bridge_port port = {
    .ctx = 0,
    .host_write = host_write,
    .panel = {0, p_select, p_dc, p_write, p_reset, delay_ms},
    .leds = leds,
    .buzzer = buzzer,
    .scanner_baud = scanner_baud,
    .screen_done = 0,
};

static struct bridge bridge;

int main(void)
{
    clock_init();
    systick_init();
    pins_init();
    RCC_APB1ENR |= RCC_APB1ENR_USART2EN; /* §6.3.13 */
    RCC_APB2ENR |= RCC_APB2ENR_USART1EN; /* §6.3.14 */
    usart_init(USART2_BASE, apb1_hz, HOST_BAUD, IRQ_USART2);
    usart_init(USART1_BASE, apb2_hz, SCANNER_BAUD, IRQ_USART1);
    spi_init();
    buzzer_init();
    iwdg_init();
    bridge_init(&bridge, &port, millis());

    uint8_t chunk[256];
    uint16_t host_overflows = 0, host_errors = 0, scanner_errors = 0;
    uint32_t last_buttons = 0;
    for (;;) {
        IWDG_KR = 0xAAAAu; /* refresh (§15.4.1) */
        size_t n;
        while ((n = ring_take(&host_ring, host_buf, HOST_RING, chunk, sizeof chunk)) > 0)
            bridge_host_bytes(&bridge, chunk, n, millis());
        while ((n = ring_take(&scanner_ring, scanner_buf, SCANNER_RING, chunk, sizeof chunk)) > 0)
            bridge_scanner_bytes(&bridge, chunk, n, millis());
        uint32_t now = millis(); /* read after draining: events above may carry a later stamp, never a future one */
        if (host_ring.overflows != host_overflows || host_ring.errors != host_errors) {
            host_overflows = host_ring.overflows;
            host_errors = host_ring.errors;
            bridge_host_overrun(&bridge, now);
        }
        if (scanner_ring.errors != scanner_errors || scanner_ring.overflows != 0) {
            scanner_errors = scanner_ring.errors;
            scanner_ring.overflows = 0;
            bridge_scanner_error(&bridge, now);
        }
        if (now - last_buttons >= 5u) {
            last_buttons = now;
            bridge_buttons(&bridge, buttons_raw(), now);
        }
        bridge_poll(&bridge, now);
        /* sleep until the next interrupt (SysTick at the latest), unless bytes arrived meanwhile */
        __asm__ volatile("cpsid i" ::: "memory");
        if (host_ring.head == host_ring.tail && scanner_ring.head == scanner_ring.tail)
            __asm__ volatile("wfi");
        __asm__ volatile("cpsie i" ::: "memory");
    }
}
