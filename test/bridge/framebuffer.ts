/**
 * A reference panel for layout tests: applies drawing commands to an RGB888 buffer the way the protocol defines them
 * (docs/bridge-protocol.md §3). The posix firmware port draws the same commands through the real panel driver; the
 * end-to-end test checks that one.
 */
import sharp from 'sharp';
import type { DrawOp } from '../../src/bridge/layout.js';

export class Framebuffer {
  readonly rgb: Buffer;
  constructor(
    readonly width = 240,
    readonly height = 320,
  ) {
    this.rgb = Buffer.alloc(width * height * 3);
  }

  private set(x: number, y: number, c565: number): void {
    const i = (y * this.width + x) * 3;
    this.rgb[i] = (((c565 >> 11) & 0x1f) * 255) / 31;
    this.rgb[i + 1] = (((c565 >> 5) & 0x3f) * 255) / 63;
    this.rgb[i + 2] = ((c565 & 0x1f) * 255) / 31;
  }

  apply(op: DrawOp): void {
    if (op.x + op.w > this.width || op.y + op.h > this.height)
      throw new Error(`op off the panel: ${JSON.stringify({ ...op, bits: undefined, pixels: undefined })}`);
    for (let y = 0; y < op.h; y++) {
      for (let x = 0; x < op.w; x++) {
        if (op.type === 'FILL_RECT') this.set(op.x + x, op.y + y, op.colour);
        else if (op.type === 'BITMAP1') {
          const rowBytes = Math.ceil(op.w / 8);
          const on = (op.bits[y * rowBytes + (x >> 3)]! & (0x80 >> (x & 7))) !== 0;
          this.set(op.x + x, op.y + y, on ? op.fg : op.bg);
        } else if (op.type === 'IMAGE_RGB565') {
          this.set(op.x + x, op.y + y, op.pixels.readUInt16BE((y * op.w + x) * 2));
        } else {
          const g = op.pixels[y * op.w + x]!;
          const i = ((op.y + y) * this.width + op.x + x) * 3;
          this.rgb[i] = this.rgb[i + 1] = this.rgb[i + 2] = g;
        }
      }
    }
  }

  pixel(x: number, y: number): [number, number, number] {
    const i = (y * this.width + x) * 3;
    return [this.rgb[i]!, this.rgb[i + 1]!, this.rgb[i + 2]!];
  }

  png(): Promise<Buffer> {
    return sharp(this.rgb, { raw: { width: this.width, height: this.height, channels: 3 } })
      .png()
      .toBuffer();
  }
}
