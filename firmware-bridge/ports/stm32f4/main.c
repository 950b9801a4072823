/* stm32f4 port: the bridge core on an STM32F411RE (Nucleo-F411RE), register level, no vendor HAL.
 * The same ELF boots in QEMU netduinoplus2 (STM32F405): same USART/SPI/TIM/GPIO addresses and IRQ numbers, but no
 * RCC or GPIO model (reads return 0) — so every wait on a hardware flag is bounded (spin_until).
 * This file is the port contract (firmware-bridge/PORTING.md) filled in: the bridge_port callbacks and the loop. */
#include <stdbool.h>
#include <stdint.h>
#include "bridge.h"
#include "nucleo_f411re.h"
#include "buzzer.h"
#include "pins.h"
#include "regs.h"
#include "spi_panel.h"
#include "sysclock.h"
#include "usart.h"
#include "watchdog.h"

#define BUTTON_SAMPLE_MS 5u

static struct clock_rates rates;

static void host_write(void *ctx, const uint8_t *data, size_t len)
{
    (void)ctx;
    usart_write(USART2_BASE, data, len);
}

static void scanner_baud(void *ctx, uint32_t baud)
{
    (void)ctx;
    usart_init(USART1_BASE, rates.apb2_hz, baud, IRQ_USART1);
}

static struct bridge_port port = {
    .ctx = 0,
    .host_write = host_write,
    .leds = leds,
    .buzzer = buzzer,
    .scanner_baud = scanner_baud,
    .screen_done = 0,
};

static struct bridge bridge;

int main(void)
{
    rates = clock_init();
    systick_init(&rates);
    pins_init();
    RCC_APB1ENR |= RCC_APB1ENR_USART2EN; /* §6.3.13 */
    RCC_APB2ENR |= RCC_APB2ENR_USART1EN; /* §6.3.14 */
    usart_init(USART2_BASE, rates.apb1_hz, HOST_BAUD, IRQ_USART2);
    usart_init(USART1_BASE, rates.apb2_hz, SCANNER_BAUD, IRQ_USART1);
    spi_init();
    port.panel = spi_panel_bus();
    buzzer_init(&rates);
    watchdog_init();
    bridge_init(&bridge, &port, millis());

    uint8_t chunk[256];
    uint16_t host_overflows = 0, host_errors = 0, scanner_errors = 0;
    uint32_t last_buttons = 0;
    for (;;) {
        watchdog_refresh();
        size_t n;
        while ((n = ring_take(&host_rx, chunk, sizeof chunk)) > 0)
            bridge_host_bytes(&bridge, chunk, n, millis());
        while ((n = ring_take(&scanner_rx, chunk, sizeof chunk)) > 0)
            bridge_scanner_bytes(&bridge, chunk, n, millis());
        uint32_t now = millis(); /* read after draining: events above may carry a later stamp, never a future one */
        if (host_rx.overflows != host_overflows || host_rx.errors != host_errors) {
            host_overflows = host_rx.overflows;
            host_errors = host_rx.errors;
            bridge_host_overrun(&bridge, now);
        }
        if (scanner_rx.errors != scanner_errors || scanner_rx.overflows != 0) {
            scanner_errors = scanner_rx.errors;
            scanner_rx.overflows = 0;
            bridge_scanner_error(&bridge, now);
        }
        if (now - last_buttons >= BUTTON_SAMPLE_MS) {
            last_buttons = now;
            bridge_buttons(&bridge, buttons_raw(), now);
        }
        bridge_poll(&bridge, now);
        /* sleep until the next interrupt (SysTick at the latest), unless bytes arrived meanwhile */
        __asm__ volatile("cpsid i" ::: "memory");
        if (ring_empty(&host_rx) && ring_empty(&scanner_rx))
            __asm__ volatile("wfi");
        __asm__ volatile("cpsie i" ::: "memory");
    }
}
