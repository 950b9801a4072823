/**
 * The kiosk's own terminal: the clerk answers the likeness question with one key — y (yes), n (no) or x (not
 * checked) — while a keyboard-wedge scanner, or a paste, types codes into the same terminal.
 *
 * A scan must never answer for the clerk. A scanner types a whole read in one burst (a code, or a QR holding just
 * "y", and its Enter, milliseconds apart), so only a LONE key counts: y / n / x at the start of a line, with no other
 * key for `quietMs` before it and none for `quietMs` after it. Anything else passes on to the stdin scanner
 * unchanged — a "y" that turns out to be the start of a burst included. The terminal is in raw mode (one keystroke
 * at a time, with its timing), so Enter arrives as CR, which is passed on as LF, and Ctrl-C is reported here.
 */
import { Transform } from 'node:stream';
import type { LikenessAnswer } from '../check/outcome.js';
import { LONE_KEY_QUIET_MS } from '../scan/limits.js';

const KEYS: Record<string, LikenessAnswer> = { y: 'yes', n: 'no', x: 'not-asked', Y: 'yes', N: 'no', X: 'not-asked' };
/**
 * LONE_KEY_QUIET_MS (scan/limits.ts). A scanner must end its reads with a suffix (Enter or Tab, the factory
 * default): a QR code holding a lone "y" and no suffix cannot be told from a key press.
 */
const DEFAULT_QUIET_MS = LONE_KEY_QUIET_MS;

export interface LoneKeyOptions {
  onAnswer(answer: LikenessAnswer): void;
  /** Ctrl-C typed at the terminal (raw mode does not turn it into SIGINT). */
  onInterrupt?(): void;
  quietMs?: number;
  clock?: () => number;
}

export function likenessKeyFilter(opts: LoneKeyOptions): Transform {
  const quietMs = opts.quietMs ?? DEFAULT_QUIET_MS;
  const clock = opts.clock ?? (() => performance.now());
  let lastKeyAt = -Infinity;
  let atLineStart = true;
  let held: { key: string; timer: NodeJS.Timeout } | null = null;

  const stream: Transform = new Transform({
    transform(chunk: Buffer | string, _enc, done) {
      const now = clock();
      let text = typeof chunk === 'string' ? chunk : chunk.toString('latin1');
      let out = '';
      if (held !== null) {
        // Another key within the quiet time: the held one was the start of a burst, not an answer.
        clearTimeout(held.timer);
        out += held.key;
        atLineStart = false;
        held = null;
      }
      if (text.includes('\x03')) {
        opts.onInterrupt?.();
        text = text.replaceAll('\x03', '');
      }
      const quietBefore = now - lastKeyAt >= quietMs;
      lastKeyAt = now;
      if (text.length === 1 && KEYS[text] !== undefined && atLineStart && quietBefore && out === '') {
        const key = text;
        const candidate: { key: string; timer: NodeJS.Timeout } = {
          key,
          // After the quiet time, let input already waiting be read first (I/O runs after timers in Node's loop:
          // on a busy machine the next key may be there, unread): only then is the key alone.
          timer: setTimeout(
            () =>
              setImmediate(() => {
                if (held !== candidate) return;
                held = null;
                opts.onAnswer(KEYS[key]!);
              }),
            quietMs,
          ),
        };
        candidate.timer.unref();
        held = candidate;
        return done();
      }
      out += text.replaceAll('\r', '\n');
      if (out.length > 0) atLineStart = out.endsWith('\n');
      done(null, out.length > 0 ? Buffer.from(out, 'latin1') : undefined);
    },
    flush(done) {
      if (held !== null) {
        clearTimeout(held.timer);
        const key = held.key;
        held = null;
        return done(null, Buffer.from(key, 'latin1'));
      }
      done();
    },
  });
  return stream;
}
