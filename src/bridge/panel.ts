/**
 * The bridge's panel, as the host must know it: its size (for layout) and how long the firmware spends drawing on
 * it (for the session's resend timeout: drawing commands are ACKed once drawn). Facts of the firmware and the TFT,
 * kept here so the session, which knows nothing of screens, only asks how long a frame keeps the firmware busy.
 */
import { T } from './codec.js';

/** The 2.8" TFT in portrait: 240 × 320 pixels. */
export const PANEL = { width: 240, height: 320 } as const;

/**
 * The firmware's panel SPI clock: APB2 96 MHz / 16 (firmware-bridge/ports/stm32f4/main.c, spi_init). Every pixel is
 * 2 bytes (RGB565) on the SPI whatever the command, so a pixel costs 16 / 6 MHz ≈ 2.7 µs: a full-panel FILL_RECT
 * (240 × 320) takes ≈ 205 ms before its ACK — longer than the 200 ms resend timeout on its own.
 */
export const PANEL_SPI_HZ = 6_000_000;

/** How long the firmware spends drawing one command before it ACKs it (0 for anything that is not drawing). */
export function panelDrawMs(type: number, payload: Buffer): number {
  const drawing = type === T.FILL_RECT || type === T.BITMAP1 || type === T.IMAGE_GREY8 || type === T.IMAGE_RGB565;
  if (!drawing || payload.length < 8) return 0;
  const pixels = payload.readUInt16BE(4) * payload.readUInt16BE(6);
  return (pixels * 16 * 1000) / PANEL_SPI_HZ;
}
