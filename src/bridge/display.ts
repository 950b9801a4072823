/**
 * The bridge display: shows each ScreenState on the bridge's TFT. Verdict first (banner, words, LEDs, beep), photo
 * rows after, so the clerk sees the verdict at once. A newer state cancels what is left of an older one; after a
 * reconnect the current state is drawn again.
 */
import { EventEmitter } from 'node:events';
import type { ScreenState } from '../screen/state.js';
import { encodeFrame } from './codec.js';
import { Caps, encodeMessage, LedPattern, type Message } from './messages.js';
import { COLOURS, layoutScreen, type PhotoFormat } from './layout.js';
import { PANEL } from './panel.js';
import type { BridgeLink } from './link.js';

/** Byte counts of one drawn screen (payload + frame overhead as sent), for benchmarks. */
export interface DrawReport {
  screen: number;
  verdictFrames: number;
  verdictBytes: number;
  photoFrames: number;
  photoBytes: number;
  /** ms from show() to the verdict part acknowledged / the whole screen acknowledged. */
  verdictMs: number;
  totalMs: number;
}

export interface BridgeDisplayEvents {
  /** The verdict part of a screen was drawn (acknowledged by the firmware). */
  verdict: [DrawReport];
  /** The whole screen, photo included, was drawn. */
  drawn: [DrawReport];
  /** Drawing failed (link down); the screen is drawn again when the link is back. */
  error: [Error];
}

/** Bytes of a message on the wire, as a frame (COBS, CRC, delimiter). */
function wireSize(m: Message): number {
  const { type, payload } = encodeMessage(m);
  return encodeFrame({ type, seq: 0, payload }).length;
}

export class BridgeDisplay extends EventEmitter<BridgeDisplayEvents> {
  readonly name = 'bridge';
  private current: ScreenState | null = null;
  private generation = 0;
  private screenId = 0;
  /** checkId (or kind) of the last screen that beeped: a redraw of the same check stays quiet. */
  private lastSignalled: string | null = null;
  /** After a (re)connect the panel may show anything (a rebooted firmware shows its own screen): draw again, quietly. */
  private readonly onReady = (): void => {
    if (this.current) void this.draw(this.current);
  };

  /**
   * `photoFormat`: grey (default; half the bytes) or colour. Falls back to what the firmware's HELLO_OK caps say it
   * can draw, and to no photo (with a line saying so) when it can draw neither.
   */
  constructor(
    private readonly link: BridgeLink,
    private readonly photoFormat: Exclude<PhotoFormat, 'none'> = 'grey8',
  ) {
    super();
    link.on('ready', this.onReady);
  }

  private effectivePhotoFormat(): PhotoFormat {
    const caps = this.link.firmware?.caps;
    if (caps === undefined) return this.photoFormat;
    const grey = (caps & Caps.GREY8) !== 0;
    const colour = (caps & Caps.RGB565) !== 0;
    if (this.photoFormat === 'rgb565') return colour ? 'rgb565' : grey ? 'grey8' : 'none';
    return grey ? 'grey8' : colour ? 'rgb565' : 'none';
  }

  show(state: ScreenState): void {
    this.current = state;
    if (this.link.state === 'connected') void this.draw(state);
  }

  /** Stop drawing and forget the screen (the kiosk is closing). See `blank()` to clear the glass first. */
  async close(): Promise<void> {
    this.generation++;
    this.current = null;
    this.link.off('ready', this.onReady);
  }

  /**
   * Cancel any drawing and clear the panel and LEDs, so nothing personal stays on the glass when the kiosk stops.
   * Best effort: gives up after `timeoutMs` (the link may already be down).
   */
  async blank(timeoutMs = 2000): Promise<boolean> {
    const generation = ++this.generation;
    this.current = null;
    if (this.link.state !== 'connected') return false;
    const messages: Message[] = [{ type: 'FILL_RECT', x: 0, y: 0, w: PANEL.width, h: PANEL.height, colour: COLOURS.black }, LEDS_OFF];
    const done = this.sendAll(messages, generation).catch(() => false);
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
    return Promise.race([done, timeout]);
  }

  /** Draw one state; resolves when done, cancelled by a newer state, or failed (reported on 'error'). */
  async draw(state: ScreenState): Promise<DrawReport | null> {
    const generation = ++this.generation;
    const started = performance.now();
    const plan = await layoutScreen(state, { photoFormat: this.effectivePhotoFormat() });
    if (generation !== this.generation) return null;
    this.screenId = (this.screenId + 1) & 0xffff;
    const screen = this.screenId;
    const signalKey = state.kind === 'idle' ? 'idle' : `${state.kind}:${state.checkId ?? state.checkedAt ?? ''}`;
    // Remembered only once the verdict part (with its beep) is through: a cancelled screen's beep is not lost.
    const beep = signalKey !== this.lastSignalled ? plan.signals.buzzer : null;

    const verdictPart: Message[] = [{ type: 'SCREEN_BEGIN', screen }, ...plan.verdict];
    verdictPart.push({ type: 'LED', green: plan.signals.green, red: plan.signals.red });
    if (beep !== null) verdictPart.push({ type: 'BUZZER', pattern: beep });
    const photoPart: Message[] = [...plan.photo, { type: 'SCREEN_END', screen }];
    const report: DrawReport = {
      screen,
      verdictFrames: verdictPart.length,
      verdictBytes: verdictPart.reduce((n, m) => n + wireSize(m), 0),
      photoFrames: plan.photo.length,
      photoBytes: plan.photo.reduce((n, m) => n + wireSize(m), 0),
      verdictMs: 0,
      totalMs: 0,
    };
    try {
      if (!(await this.sendAll(verdictPart, generation))) return null;
      this.lastSignalled = signalKey;
      report.verdictMs = performance.now() - started;
      this.emit('verdict', report);
      if (!(await this.sendAll(photoPart, generation))) return null;
      report.totalMs = performance.now() - started;
      this.emit('drawn', report);
      return report;
    } catch (err) {
      if (generation === this.generation && this.listenerCount('error') > 0) this.emit('error', err as Error);
      return null;
    }
  }

  /**
   * Hand messages to the link a few at a time (the session's window does the flow control), checking between
   * them whether a newer screen has replaced this one. False when cancelled.
   */
  private async sendAll(messages: Message[], generation: number): Promise<boolean> {
    const pending: Array<Promise<void>> = [];
    for (const message of messages) {
      if (generation !== this.generation) {
        await Promise.allSettled(pending);
        return false;
      }
      const { type, payload } = encodeMessage(message);
      const sent = this.link.send(type, payload);
      sent.catch(() => undefined); // awaited below; this only stops an early failure going unhandled
      pending.push(sent);
      if (pending.length >= 4) await pending.shift();
    }
    await Promise.all(pending);
    return generation === this.generation;
  }
}

/** The LEDs both off: what a kiosk sends when it shuts down. */
const LEDS_OFF: Message = { type: 'LED', green: LedPattern.OFF, red: LedPattern.OFF };
