/**
 * When scans are typed or pasted at the kiosk's own terminal, a line that is exactly `y`, `n` or `x` answers the
 * likeness question instead of being a scan. Lowercase letters are outside the Base45 alphabet, so no credential
 * can be mistaken for an answer. Every other line passes through unchanged to the stdin scanner.
 */
import { Transform } from 'node:stream';
import type { LikenessAnswer } from '../screen/state.js';

const KEYS: Record<string, LikenessAnswer> = { y: 'yes', n: 'no', x: 'not-asked' };
/** A line longer than this is passed on as it comes (the scanner's own length guard deals with it). */
const MAX_HELD = 8;

export function likenessKeyFilter(onAnswer: (answer: LikenessAnswer) => void): Transform {
  let held = '';
  let atLineStart = true;
  return new Transform({
    transform(chunk: Buffer | string, _enc, done) {
      const text = typeof chunk === 'string' ? chunk : chunk.toString('latin1');
      let out = '';
      for (const ch of text) {
        if (ch === '\n') {
          const answer = atLineStart ? KEYS[held.replace(/\r$/, '').trim()] : undefined;
          if (answer) onAnswer(answer);
          else out += held + ch;
          held = '';
          atLineStart = true;
        } else if (atLineStart) {
          held += ch;
          if (held.length > MAX_HELD) {
            out += held;
            held = '';
            atLineStart = false;
          }
        } else {
          out += ch;
        }
      }
      done(null, out.length > 0 ? Buffer.from(out, 'latin1') : undefined);
    },
    flush(done) {
      done(null, held.length > 0 ? Buffer.from(held, 'latin1') : undefined);
    },
  });
}
