#!/usr/bin/env python3
"""Writes golden.json: the shared test vectors of the bridge protocol (docs/bridge-protocol.md).

A third, independent implementation of CRC-16/CCITT-FALSE and COBS (the C core and the TypeScript codec are the
other two), so the vectors are not just one side's output checked against itself. Run it only when the protocol
changes: `python3 firmware-bridge/protocol/gen-golden.py > firmware-bridge/protocol/golden.json`.
"""
import json
import struct

MAX_PAYLOAD = 1024


def crc16(data: bytes) -> int:
    crc = 0xFFFF
    for b in data:
        crc ^= b << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return crc


assert crc16(b"123456789") == 0x29B1  # the catalogue check value of CRC-16/CCITT-FALSE


def cobs(data: bytes) -> bytes:
    out = bytearray()
    block = bytearray()
    for b in data:
        if b == 0:
            out.append(len(block) + 1)
            out += block
            block = bytearray()
        else:
            block.append(b)
            if len(block) == 254:
                out.append(255)
                out += block
                block = bytearray()
    out.append(len(block) + 1)
    out += block
    return bytes(out)


def body(type_: int, seq: int, payload: bytes) -> bytes:
    b = bytes([type_, seq]) + payload
    return b + struct.pack(">H", crc16(b))


def wire(type_: int, seq: int, payload: bytes) -> bytes:
    return cobs(body(type_, seq, payload)) + b"\x00"


def u16(*values: int) -> bytes:
    return b"".join(struct.pack(">H", v) for v in values)


vectors = []


def good(name, direction, type_, seq, payload, fields):
    vectors.append({
        "name": name,
        "direction": direction,
        "type": type_,
        "seq": seq,
        "payloadHex": payload.hex(),
        "frameHex": wire(type_, seq, payload).hex(),
        "fields": fields,
    })


# host -> firmware
good("HELLO", "host-to-fw", 0x01, 0, bytes([1]), {"proto": 1})
good("HEARTBEAT", "host-to-fw", 0x02, 7, b"", {})
good("FILL_RECT", "host-to-fw", 0x10, 1, u16(0, 0, 240, 64, 0x07E0),
     {"x": 0, "y": 0, "w": 240, "h": 64, "colour": 0x07E0})
good("BITMAP1", "host-to-fw", 0x11, 2, u16(8, 70, 10, 3, 0xFFFF, 0x0000) + bytes([0xFF, 0xC0, 0x80, 0x40, 0x00, 0x00]),
     {"x": 8, "y": 70, "w": 10, "h": 3, "fg": 0xFFFF, "bg": 0x0000, "bitsHex": "ffc080400000"})
good("IMAGE_GREY8", "host-to-fw", 0x12, 3, u16(60, 100, 4, 2) + bytes([0x00, 0x40, 0x80, 0xFF, 0x10, 0x20, 0x30, 0x00]),
     {"x": 60, "y": 100, "w": 4, "h": 2, "pixelsHex": "004080ff10203000"})
good("IMAGE_RGB565", "host-to-fw", 0x13, 4, u16(60, 102, 2, 1) + u16(0xF800, 0x001F),
     {"x": 60, "y": 102, "w": 2, "h": 1, "pixelsHex": "f800001f"})
good("SCREEN_BEGIN", "host-to-fw", 0x14, 5, u16(0x0102), {"screen": 0x0102})
good("SCREEN_END", "host-to-fw", 0x16, 6, u16(0x0102), {"screen": 0x0102})
good("LED", "host-to-fw", 0x20, 8, bytes([1, 0]), {"green": 1, "red": 0})
good("BUZZER", "host-to-fw", 0x21, 9, bytes([2]), {"pattern": 2})
good("SCANNER_CONFIG", "host-to-fw", 0x22, 10, bytes([0x03, 0x01]) + u16(100, 4296) + struct.pack(">I", 115200),
     {"terminators": 3, "flags": 1, "idleMs": 100, "maxLen": 4296, "baud": 115200})
# a payload that contains 0x00 bytes and runs of > 254 non-zero bytes exercises every COBS path
long_run = bytes((i % 255) + 1 for i in range(300))
good("IMAGE_GREY8 300 pixels, no zero (COBS 0xFF block)", "host-to-fw", 0x12, 11, u16(0, 0, 150, 2) + long_run,
     {"x": 0, "y": 0, "w": 150, "h": 2, "pixelsHex": long_run.hex()})
max_pixels = bytes([0x00, 0x11] * 508)  # 8 header bytes + 1016 pixels = 1024 = MAX_PAYLOAD
good("IMAGE_GREY8 maximal payload (1024 bytes)", "host-to-fw", 0x12, 255, u16(0, 200, 127, 8) + max_pixels,
     {"x": 0, "y": 200, "w": 127, "h": 8, "pixelsHex": max_pixels.hex()})

# firmware -> host
good("BANNER", "fw-to-host", 0x80, 0, bytes([1]) + b"0.1.0", {"proto": 1, "version": "0.1.0"})
good("HELLO_OK", "fw-to-host", 0x81, 0, bytes([1]) + u16(0x007F, 240, 320) + bytes([4]) + u16(4096, 1024) + b"0.1.0",
     {"proto": 1, "caps": 0x7F, "width": 240, "height": 320, "windowFrames": 4, "windowBytes": 4096,
      "maxPayload": 1024, "version": "0.1.0"})
scan = b"NCFOXN%TSMAHN-H"
good("SCAN", "fw-to-host", 0x82, 1, bytes([1, 1]) + u16(len(scan), 0) + scan,
     {"scanId": 1, "symbology": 1, "total": len(scan), "offset": 0, "dataHex": scan.hex()})
good("SCAN second fragment", "fw-to-host", 0x82, 2, bytes([2, 1]) + u16(1500, 1018) + b"A" * 482,
     {"scanId": 2, "symbology": 1, "total": 1500, "offset": 1018, "dataHex": (b"A" * 482).hex()})
good("DROPPED", "fw-to-host", 0x83, 3, bytes([1]) + u16(4297), {"reason": 1, "length": 4297})
good("BUTTON", "fw-to-host", 0x84, 4, bytes([1]), {"button": 1})
good("ERROR", "fw-to-host", 0x85, 5, bytes([1]) + b"scanner UART framing", {"code": 1, "text": "scanner UART framing"})

# either direction
good("ACK", "both", 0x06, 3, b"", {})
good("NAK", "both", 0x15, 9, bytes([1]), {"code": 1})

# Bad frames, each fed to a receiver that expects seq 0. `nak` is the answer the receiver must send
# (its seq and code); `layer` says which stage finds the fault: frame (COBS/CRC/length) or message (type/length/value)
# or link (sequence).
def bad(name, frame_hex, layer, nak_seq, nak_code, note):
    vectors.append({
        "name": name,
        "frameHex": frame_hex,
        "bad": {"layer": layer, "nakSeq": nak_seq, "nakCode": nak_code, "nakFrameHex": wire(0x15, nak_seq, bytes([nak_code])).hex()},
        "note": note,
    })


fill = body(0x10, 0, u16(0, 0, 10, 10, 0xF800))
flipped = bytearray(fill)
flipped[-1] ^= 0x01
bad("bad CRC", (cobs(bytes(flipped)) + b"\x00").hex(), "frame", 0, 1, "last CRC bit flipped")
bad("truncated (CRC bytes lost)", (cobs(fill[:-2]) + b"\x00").hex(), "frame", 0, 1,
    "the last two bytes never arrived; the CRC check fails")
bad("too short (3 bytes)", (cobs(b"\x10\x00\x01") + b"\x00").hex(), "frame", 0, 1,
    "fewer than type+seq+crc: corrupt")
bad("bad COBS (code byte runs past the end)", "0510010200", "frame", 0, 1,
    "code byte 0x05 promises 4 data bytes, 3 arrive before the delimiter")
oversize = body(0x12, 0, u16(0, 0, 1017, 1) + bytes([0x55] * 1017))  # payload 1025 bytes
bad("oversize (payload 1025 bytes)", (cobs(oversize) + b"\x00").hex(), "frame", 0, 2,
    "decoded frame longer than 1028 bytes")
bad("unknown type 0x7F", wire(0x7F, 0, b"").hex(), "message", 0, 3, "seq 0 is consumed")
bad("FILL_RECT with 9-byte payload", wire(0x10, 0, u16(0, 0, 10, 10) + b"\xF8").hex(), "message", 0, 4,
    "FILL_RECT payload is exactly 10 bytes; seq 0 is consumed")
bad("BITMAP1 bits length does not match w,h", wire(0x11, 0, u16(0, 0, 10, 2, 0xFFFF, 0) + b"\xFF\xC0\xFF").hex(),
    "message", 0, 4, "needs ceil(10/8)*2 = 4 bytes of bits")
bad("FILL_RECT off the panel", wire(0x10, 0, u16(200, 0, 41, 10, 0xF800)).hex(), "message", 0, 7,
    "x + w = 241 > 240")
bad("LED unknown pattern", wire(0x20, 0, bytes([9, 0])).hex(), "message", 0, 7, "patterns are 0..4 or 0xFF")
bad("out of window (seq 5 while 0 expected)", wire(0x02, 5, b"").hex(), "link", 0, 5,
    "a frame was lost before this one; the NAK names the seq the receiver expects")

print(json.dumps({
    "protocol": 1,
    "crcCheck": {"asciiInput": "123456789", "crc": 0x29B1},
    "maxPayload": MAX_PAYLOAD,
    "vectors": vectors,
}, indent=1))
