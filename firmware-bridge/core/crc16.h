/* CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, not reflected, no final XOR. Check("123456789") = 0x29B1. */
#ifndef BRIDGE_CRC16_H
#define BRIDGE_CRC16_H
#include <stddef.h>
#include <stdint.h>

#define CRC16_INIT 0xFFFFu
uint16_t crc16_update(uint16_t crc, const uint8_t *data, size_t len);
#endif
