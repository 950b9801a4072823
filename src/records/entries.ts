/**
 * The lines of the check log. One JSON object per line; a check is written once, and later lines with
 * the same check id add the likeness answer or extend keep-until. No line ever holds personal data in clear.
 */
import { OUTCOMES, type Outcome } from '../check/outcome.js';
import { REVOCATIONS, type Revocation } from '../check/revocation.js';
import type { DeskPurpose } from '../credential/types.js';
import { REASON_CODES, type ReasonCode, type VerdictKind } from '../verify/verdict.js';
import { isCalendarDate } from '../credential/dates.js';
import { isInstant } from './dates.js';

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
  /** The store's entry sequence: 1, 2, 3… across all entry types, never reused (store.ts). Absent on older lines. */
  seq?: number;
  /**
   * Where the issuer publishes this credential's revocation status, as the verified code said (list URI and index),
   * so revocations announced later can be matched to the check. Only for codes whose signature verified.
   */
  statusListUri?: string;
  statusListIdx?: number;
  /**
   * What identifies the credential whatever text carried it (a hash of what is signed: src/credential/cose.ts).
   * Absent on older lines, and for a text that was not a COSE_Sign1.
   */
  credentialId?: string;
  /** The outcome when written (NOT_VALID, CHECK_MANUALLY or PHOTO_PENDING); absent on lines written before outcomes. */
  outcome?: Outcome;
  /** Present (true) only on a check made with the DEMO keys. */
  demo?: true;
  /**
   * Whether the code was looked up in its issuer's status list (`not-checked`: the desk held keys only, so a
   * revoked code would still have shown VALID). Absent where there was nothing to say, and on older lines.
   */
  revocation?: Revocation;
}

export interface LikenessEntry {
  type: 'likeness';
  checkId: string;
  at: string;
  likeness: Likeness;
  seq?: number;
  /** The check's outcome after this answer; absent on lines written before outcomes. */
  outcome?: Outcome;
}

export interface KeepEntry {
  type: 'keep';
  checkId: string;
  at: string;
  until: string;
  seq?: number;
}

export type LogEntry = CheckRecord | LikenessEntry | KeepEntry;

/**
 * A check as read back: the check line folded with its follow-up lines. `outcome` is the latest (from the verdict
 * and the latest likeness answer, the same rule for old lines); `followUpDate` is kept only where the outcome lets
 * the right stand (a photo that did not match, or was never compared, sets no follow-up).
 */
export type FoldedCheck = Omit<CheckRecord, 'outcome'> & { likeness?: Likeness; outcome: Outcome };

/** Check ids name personal-copy files too, so they are kept to a filename-safe alphabet. */
export const CHECK_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const DESK_ID = /^[\x21-\x7e](?:[\x20-\x7e]{0,62}[\x21-\x7e])?$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
/** Longest status-list URI kept (the code's own limit on its size bounds it anyway). */
export const MAX_STATUS_LIST_URI = 2048;
/** Readers accept kids up to this length; writers keep them shorter (store.ts MAX_KID_CHARS). */
const MAX_KID_READ = 1024;

const DESK_PURPOSES: ReadonlySet<unknown> = new Set(['work', 'rent', 'housing', 'other'] satisfies DeskPurpose[]);
const VERDICT_KINDS: ReadonlySet<unknown> = new Set(['VALID', 'NOT VALID', 'CHECK MANUALLY'] satisfies VerdictKind[]);
const REASONS: ReadonlySet<unknown> = new Set(REASON_CODES);
export const LIKENESS_ANSWERS = ['yes', 'no', 'not-asked'] as const satisfies readonly Likeness[];
const LIKENESS: ReadonlySet<unknown> = new Set(LIKENESS_ANSWERS);
const OUTCOME_VALUES: ReadonlySet<unknown> = new Set(OUTCOMES);

/*
 * Hand-written checks rather than a schema library: a log holds years of lines and is read whole on every
 * list and purge, so this runs 100,000 times at a go (docs/records.md has the figures).
 */
type Rule = (v: unknown) => boolean;
const str =
  (re: RegExp): Rule =>
  (v) =>
    typeof v === 'string' && re.test(v);
const oneOf =
  (set: ReadonlySet<unknown>): Rule =>
  (v) =>
    set.has(v);
const orNull =
  (rule: Rule): Rule =>
  (v) =>
    v === null || rule(v);
const instant: Rule = (v) => typeof v === 'string' && isInstant(v);
const date: Rule = (v) => typeof v === 'string' && isCalendarDate(v);
/** A field old lines do not have: absent, or valid. */
const optional =
  (rule: Rule): Rule =>
  (v) =>
    v === undefined || rule(v);
const positiveInt: Rule = (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;
const index: Rule = (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const statusListUri: Rule = (v) => typeof v === 'string' && v.length >= 1 && v.length <= MAX_STATUS_LIST_URI;

const SHAPES: Record<LogEntry['type'], Record<string, Rule>> = {
  check: {
    type: (v) => v === 'check',
    checkId: str(CHECK_ID),
    at: instant,
    deskId: str(DESK_ID),
    purpose: orNull(oneOf(DESK_PURPOSES)),
    verdict: oneOf(VERDICT_KINDS),
    reason: orNull(oneOf(REASONS)),
    kid: orNull((v) => typeof v === 'string' && v.length <= MAX_KID_READ),
    credentialSha256: str(SHA256_HEX),
    followUpDate: orNull(date),
    keepUntil: date,
    seq: optional(positiveInt),
    statusListUri: optional(statusListUri),
    statusListIdx: optional(index),
    credentialId: optional(str(SHA256_HEX)),
    outcome: optional(oneOf(OUTCOME_VALUES)),
    demo: optional((v) => v === true),
    revocation: optional(oneOf(new Set(REVOCATIONS))),
  },
  likeness: {
    type: (v) => v === 'likeness',
    checkId: str(CHECK_ID),
    at: instant,
    likeness: oneOf(LIKENESS),
    seq: optional(positiveInt),
    outcome: optional(oneOf(OUTCOME_VALUES)),
  },
  keep: {
    type: (v) => v === 'keep',
    checkId: str(CHECK_ID),
    at: instant,
    until: date,
    seq: optional(positiveInt),
  },
};

/** The first thing wrong with a value as a log entry, or null when it is one. */
function entryProblem(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not an object';
  const type = (v as { type?: unknown }).type;
  const shape = typeof type === 'string' && Object.hasOwn(SHAPES, type) ? SHAPES[type as LogEntry['type']] : undefined;
  if (!shape) return 'type: unknown entry type';
  for (const [field, rule] of Object.entries(shape)) {
    if (!rule((v as Record<string, unknown>)[field])) return `${field}: missing or not valid`;
  }
  for (const field of Object.keys(v)) if (!Object.hasOwn(shape, field)) return `${field}: unknown field`;
  if (type === 'check' && 'statusListUri' in v !== 'statusListIdx' in v) return 'statusListUri and statusListIdx: one without the other';
  return null;
}

/** Parse one line; returns a short reason (no line content: it might be anything) when it is not an entry. */
export function parseEntry(line: string): { entry: LogEntry } | { problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { problem: 'not JSON' };
  }
  const problem = entryProblem(json);
  return problem === null ? { entry: json as LogEntry } : { problem: `not a record entry (${problem})` };
}

/** Validate a check record before writing it, with the same rules the reader applies. */
export function checkRecordProblem(rec: CheckRecord): string | null {
  return entryProblem(rec);
}
