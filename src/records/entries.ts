/**
 * The lines of the check log. One JSON object per line; a check is written once, and later lines with
 * the same check id add the likeness answer or extend keep-until. No line ever holds personal data in clear.
 */
import { z } from 'zod';
import type { DeskPurpose } from '../credential/types.js';
import { REASON_CODES, type ReasonCode, type VerdictKind } from '../verify/verdict.js';
import { isCalendarDate, isInstant } from './dates.js';

export type Likeness = 'yes' | 'no' | 'not-asked';

export interface CheckRecord {
  type: 'check';
  checkId: string;
  /** When the verdict was shown (ISO instant). */
  at: string;
  deskId: string;
  purpose: DeskPurpose | null;
  verdict: VerdictKind;
  reason: ReasonCode | null;
  kid: string | null;
  /** SHA-256 (hex) of the scanned credential text: ties a record to a code without storing the code. */
  credentialSha256: string;
  /** When a re-check is due (YYYY-MM-DD), for time-limited permission. */
  followUpDate: string | null;
  /** Last day this record is kept (YYYY-MM-DD, UTC); purge removes it the day after. */
  keepUntil: string;
}

export interface LikenessEntry {
  type: 'likeness';
  checkId: string;
  at: string;
  likeness: Likeness;
}

export interface KeepEntry {
  type: 'keep';
  checkId: string;
  at: string;
  until: string;
}

export type LogEntry = CheckRecord | LikenessEntry | KeepEntry;

/** A check as read back: the check line folded with its follow-up lines. */
export type FoldedCheck = CheckRecord & { likeness?: Likeness };

/** Check ids name personal-copy files too, so they are kept to a filename-safe alphabet. */
export const CHECK_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const DESK_ID = /^[\x21-\x7e](?:[\x20-\x7e]{0,62}[\x21-\x7e])?$/;

const DESK_PURPOSES = ['work', 'rent', 'housing', 'other'] as const satisfies readonly DeskPurpose[];
const VERDICT_KINDS = ['VALID', 'NOT VALID', 'CHECK MANUALLY'] as const satisfies readonly VerdictKind[];
export const LIKENESS_ANSWERS = ['yes', 'no', 'not-asked'] as const satisfies readonly Likeness[];

const checkId = z.string().regex(CHECK_ID);
const instant = z.string().refine(isInstant, 'ISO date-time with zone');
const date = z.string().refine(isCalendarDate, 'YYYY-MM-DD');

const checkSchema = z.strictObject({
  type: z.literal('check'),
  checkId,
  at: instant,
  deskId: z.string().regex(DESK_ID),
  purpose: z.enum(DESK_PURPOSES).nullable(),
  verdict: z.enum(VERDICT_KINDS),
  reason: z.enum(REASON_CODES).nullable(),
  kid: z.string().max(1024).nullable(), // writers keep it under MAX_KID_CHARS code points
  credentialSha256: z.string().regex(/^[0-9a-f]{64}$/),
  followUpDate: date.nullable(),
  keepUntil: date,
});

const entrySchema = z.discriminatedUnion('type', [
  checkSchema,
  z.strictObject({ type: z.literal('likeness'), checkId, at: instant, likeness: z.enum(LIKENESS_ANSWERS) }),
  z.strictObject({ type: z.literal('keep'), checkId, at: instant, until: date }),
]);

/** Parse one line; returns a short reason (no line content: it might be anything) when it is not an entry. */
export function parseEntry(line: string): { entry: LogEntry } | { problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { problem: 'not JSON' };
  }
  const parsed = entrySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { problem: `not a record entry (${issue ? `${issue.path.join('.') || 'entry'}: ${issue.message}` : 'invalid'})` };
  }
  return { entry: parsed.data };
}

/** Validate a check record before writing it, with the same rules the reader applies. */
export function checkRecordProblem(rec: CheckRecord): string | null {
  const parsed = checkSchema.safeParse(rec);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0];
  return issue ? `${issue.path.join('.') || 'record'}: ${issue.message}` : 'invalid record';
}
