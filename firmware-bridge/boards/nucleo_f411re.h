/* Pin map of the proofdesk bridge on an ST Nucleo-F411RE (board manual UM1724, tables 11-23: Arduino / morpho pins).
 *
 * Machine-readable: every pin is one line  #define PIN_<SIGNAL>  PORT_<X>, <n>  / * <header pin>: <what> * /
 * and, where an alternate function is used,  #define PIN_AF_<SIGNAL> <n>  (RM0383 / DS10314 table 9).
 * hardware/ generates or checks its wiring table from these lines: change the wiring here, nowhere else.
 *
 * Choices: SPI1 is taken on PB3/PB4/PB5 (D3/D5/D4), not on PA5/PA6/PA7 (D13/D12/D11), because PA5 is also the
 * board's green user LED LD2; so PA5 drives LD2 and the external green LED together. USART2 (PA2/PA3) is wired to
 * the ST-LINK virtual COM port by the board (solder bridges SB13/SB14 on, SB62/SB63 off), so D0/D1 stay unused. */
#ifndef BOARD_NUCLEO_F411RE_H
#define BOARD_NUCLEO_F411RE_H

#define PORT_A 0
#define PORT_B 1
#define PORT_C 2

#define PIN_HOST_TX      PORT_A, 2   /* on-board: USART2 TX to the ST-LINK virtual COM port */
#define PIN_AF_HOST_TX   7
#define PIN_HOST_RX      PORT_A, 3   /* on-board: USART2 RX from the ST-LINK virtual COM port */
#define PIN_AF_HOST_RX   7
#define PIN_SCANNER_TX   PORT_A, 9   /* D8: USART1 TX to the scanner engine RXD (3.3 V TTL) */
#define PIN_AF_SCANNER_TX 7
#define PIN_SCANNER_RX   PORT_A, 10  /* D2: USART1 RX from the scanner engine TXD (3.3 V TTL) */
#define PIN_AF_SCANNER_RX 7
#define PIN_TFT_SCK      PORT_B, 3   /* D3: SPI1 SCK to the TFT SCK */
#define PIN_AF_TFT_SCK   5
#define PIN_TFT_MISO     PORT_B, 4   /* D5: SPI1 MISO from the TFT SDO (not read; wired for diagnostics) */
#define PIN_AF_TFT_MISO  5
#define PIN_TFT_MOSI     PORT_B, 5   /* D4: SPI1 MOSI to the TFT SDI */
#define PIN_AF_TFT_MOSI  5
#define PIN_TFT_CS       PORT_B, 6   /* D10: TFT chip select, active low */
#define PIN_TFT_DC       PORT_C, 7   /* D9: TFT data/command (low = command) */
#define PIN_TFT_RESET    PORT_A, 8   /* D7: TFT reset, active low */
#define PIN_TFT_BACKLIGHT PORT_B, 10 /* D6: TFT backlight enable (LED pin via transistor on most modules) */
#define PIN_BUZZER       PORT_A, 6   /* D12: TIM3_CH1 PWM to the buzzer driver transistor */
#define PIN_AF_BUZZER    2
#define PIN_LED_GREEN    PORT_A, 5   /* D13: green LED (also the board's LD2), active high */
#define PIN_LED_RED      PORT_A, 7   /* D11: red LED, active high */
#define PIN_BUTTON_YES   PORT_A, 0   /* A0: YES button to GND, internal pull-up */
#define PIN_BUTTON_NO    PORT_A, 1   /* A1: NO button to GND, internal pull-up */

#ifndef HOST_BAUD
#define HOST_BAUD 921600u     /* see docs/bridge-protocol.md section 1; fallback: make HOST_BAUD=115200 */
#endif
#ifndef SCANNER_BAUD
#define SCANNER_BAUD 115200u  /* the scanner engine's factory or programmed rate */
#endif

#endif
