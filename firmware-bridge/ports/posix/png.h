/* A minimal PNG writer: 8-bit RGB, no filter, zlib stream of stored (uncompressed) deflate blocks. */
#ifndef BRIDGE_PNG_H
#define BRIDGE_PNG_H
#include <stdint.h>
#include <stdio.h>
/* Writes width×height RGB888 pixels as PNG; returns 0 on success, -1 on a write error. */
int png_write_rgb(FILE *f, const uint8_t *rgb, uint32_t width, uint32_t height);
#endif
