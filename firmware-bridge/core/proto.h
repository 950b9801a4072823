/* Bridge protocol v1 constants (docs/bridge-protocol.md). Shared by every port; no code here. */
#ifndef BRIDGE_PROTO_H
#define BRIDGE_PROTO_H

#define PROTO_VERSION_NUMBER 1 /* HELLO, HELLO_OK and BANNER carry it; bump with docs/bridge-protocol.md */
#define PROTO_VERSION ((unsigned)PROTO_VERSION_NUMBER)
#define PROTO_STRINGIFY_(x) #x
#define PROTO_STRINGIFY(x) PROTO_STRINGIFY_(x)
#define PROTO_VERSION_TEXT PROTO_STRINGIFY(PROTO_VERSION_NUMBER) /* "1": for the firmware's own screens */
#define FW_VERSION "0.1.0"

#define MAX_PAYLOAD 1024u
#define MAX_FRAME (MAX_PAYLOAD + 4u)                  /* type + seq + payload + crc16 */
#define MAX_ENCODED (MAX_FRAME + MAX_FRAME / 254u + 1u) /* COBS worst case, without the 0x00 */
#define MAX_WIRE (MAX_ENCODED + 1u)                    /* with the delimiter */

#define WINDOW_FRAMES 4u
#define WINDOW_BYTES 4096u
#define TX_RETRY_MS 250u
#define TX_MAX_RESENDS 4u
#define HOST_WATCHDOG_MS 3000u

#define SCAN_MAX_LEN 4296u /* QR version 40, alphanumeric */
#define SCAN_HEADER 6u
#define SCAN_PIECE (MAX_PAYLOAD - SCAN_HEADER)

enum frame_type {
    T_HELLO = 0x01,
    T_HEARTBEAT = 0x02,
    T_ACK = 0x06,
    T_FILL_RECT = 0x10,
    T_BITMAP1 = 0x11,
    T_IMAGE_GREY8 = 0x12,
    T_IMAGE_RGB565 = 0x13,
    T_SCREEN_BEGIN = 0x14,
    T_NAK = 0x15,
    T_SCREEN_END = 0x16,
    T_LED = 0x20,
    T_BUZZER = 0x21,
    T_SCANNER_CONFIG = 0x22,
    T_BANNER = 0x80,
    T_HELLO_OK = 0x81,
    T_SCAN = 0x82,
    T_DROPPED = 0x83,
    T_BUTTON = 0x84,
    T_ERROR = 0x85
};

enum nak_code {
    NAK_NONE = 0, /* not a NAK: success */
    NAK_CRC = 1,
    NAK_TOO_LONG = 2,
    NAK_BAD_TYPE = 3,
    NAK_BAD_LENGTH = 4,
    NAK_OUT_OF_WINDOW = 5,
    NAK_BUSY = 6,
    NAK_BAD_VALUE = 7
};

enum caps_bit {
    CAP_DISPLAY = 1u << 0,
    CAP_SCANNER = 1u << 1,
    CAP_BUTTONS = 1u << 2,
    CAP_BUZZER = 1u << 3,
    CAP_LEDS = 1u << 4,
    CAP_GREY8 = 1u << 5,
    CAP_RGB565 = 1u << 6
};

enum drop_reason { DROP_TOO_LONG = 1, DROP_INCOMPLETE = 2, DROP_NOISE = 3, DROP_QUEUE_FULL = 4 };
enum fw_error { ERR_SCANNER_UART = 1, ERR_HOST_RX_OVERRUN = 2, ERR_INTERNAL = 3 };
enum button_id { BUTTON_YES = 1, BUTTON_NO = 2 };
enum symbology {
    SYM_UNKNOWN = 0, SYM_QR = 1, SYM_DATAMATRIX = 2, SYM_PDF417 = 3, SYM_AZTEC = 4, SYM_CODE128 = 5, SYM_OTHER = 6
};

#endif
