/**
 * The outcome of a check: the code's verdict together with the clerk's answer about the photo. `verdict` stays
 * what the code established; the outcome says what the desk may do with it. Stable strings: records, exports and
 * the central tables key on them.
 */
import type { VerdictKind } from '../verify/verdict.js';

export const OUTCOMES = ['NOT_VALID', 'CHECK_MANUALLY', 'PHOTO_PENDING', 'CONFIRMED', 'PHOTO_MISMATCH', 'PHOTO_NOT_CHECKED'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The clerk's answer to "is the photo of the person in front of you?"; `ask` = not answered yet. */
export type Likeness = 'ask' | 'yes' | 'no' | 'not-asked';
export type LikenessAnswer = Exclude<Likeness, 'ask'>;

/**
 * - NOT VALID stays NOT_VALID whatever the clerk says (no photo question is asked).
 * - "No, not them" is PHOTO_MISMATCH for any code that showed a person.
 * - CHECK MANUALLY stays CHECK_MANUALLY otherwise: a person must still decide about the status.
 * - VALID is CONFIRMED only with "yes"; "not checked" (or a screen left without an answer) is PHOTO_NOT_CHECKED,
 *   an incomplete check, never an accepted one.
 */
export function outcomeOf(verdict: VerdictKind, likeness: Likeness | undefined): Outcome {
  if (verdict === 'NOT VALID') return 'NOT_VALID';
  if (likeness === 'no') return 'PHOTO_MISMATCH';
  if (verdict === 'CHECK MANUALLY') return 'CHECK_MANUALLY';
  if (likeness === 'yes') return 'CONFIRMED';
  if (likeness === 'not-asked') return 'PHOTO_NOT_CHECKED';
  return 'PHOTO_PENDING';
}

/**
 * Does a follow-up date stand for this outcome? Only where the right was established (the photo confirmed) or will
 * be by a checking service (a pending application): a photo that did not match, or was never compared, sets none.
 */
export function followUpStands(outcome: Outcome): boolean {
  return outcome === 'CONFIRMED' || outcome === 'CHECK_MANUALLY';
}
