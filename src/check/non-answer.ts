/**
 * Scans that are not a check at all. One rule tells them apart, after the verifier has failed to read the text:
 * a text that begins with a zlib header in Base45 is one of ours, damaged (cut off, misread, a stray character)
 * → SCAN AGAIN; anything else that cannot be read (a web link, a product barcode, plain words) → NOT A STATUS CODE.
 * Neither makes a check record: nobody's code was checked. A code that reads but fails a check (signature, key,
 * expiry, revocation, policy) is NOT VALID, and is recorded.
 */
import { beginsWithZlibHeader } from '../credential/text.js';
import type { ReasonCode } from '../verify/verdict.js';
import { DAMAGED_SCAN_TEXT, NOT_A_STATUS_CODE_TEXT } from './words.js';

export type NonAnswer = 'SCAN_AGAIN' | 'NOT_A_STATUS_CODE';

/** Reasons that mean "the text could not be read as a code": the stages before anything is decoded. */
const UNREADABLE: ReadonlySet<ReasonCode> = new Set(['NOT_A_CREDENTIAL', 'INPUT_TOO_LONG', 'BASE45_INVALID', 'DECOMPRESS_FAILED']);

/** null when the verdict is a check to show and record. `text` as the verifier read it (normalised). */
export function nonAnswerOf(text: string, reason: ReasonCode | null): NonAnswer | null {
  if (reason === null || !UNREADABLE.has(reason)) return null;
  return beginsWithZlibHeader(text) ? 'SCAN_AGAIN' : 'NOT_A_STATUS_CODE';
}

export const NON_ANSWER_TEXT: Record<NonAnswer, { message: string; nextStep: string }> = {
  SCAN_AGAIN: DAMAGED_SCAN_TEXT,
  NOT_A_STATUS_CODE: NOT_A_STATUS_CODE_TEXT,
};
