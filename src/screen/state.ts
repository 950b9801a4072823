/**
 * ScreenState: what a clerk must see. A result screen is the check's one description (src/check/) laid out for a
 * screen, plus what only a screen has: the photo, the desk's own state (scanners, DEMO, purpose, desk id) and when
 * the screen clears itself. No I/O here: the photo arrives already prepared (see photo.ts). Every display — web,
 * terminal, the bridge's TFT — renders this one model and nothing else, so they cannot disagree.
 *
 * Nothing is ever shown by colour alone: each state has its own words (headline) and icon as well.
 */
import type { DeskPurpose } from '../credential/types.js';
import {
  HEADLINE,
  NON_ANSWER_TEXT,
  RIGHT_ASKED,
  describeCheck,
  factsFromVerdict,
  type CheckColour,
  type CheckFacts,
  type CheckIcon,
  type Likeness,
  type NonAnswer,
  type Outcome,
  type RightLine,
} from '../check/index.js';
import type { DropReason } from '../scan/types.js';
import { DROPPED_SCAN_TEXT } from '../verify/messages.js';
import type { ReasonCode, Verdict, VerdictKind } from '../verify/verdict.js';

export type { Likeness, LikenessAnswer, RightLine } from '../check/index.js';

/**
 * idle: ready for the next scan; result: a check (recorded); scan-again: a scan cut off or damaged, or one the
 * scanner could not read; not-a-code: text that is plainly not a status code. The last two are not checks and
 * make no record.
 */
export type ScreenKind = 'idle' | 'result' | 'scan-again' | 'not-a-code';
export type ScreenIcon = CheckIcon | 'rescan' | 'not-a-code' | 'none';
export type ScreenColour = CheckColour | 'blue' | 'neutral';

/** The image formats a photo is drawn from: those the desk's browser (Chromium) shows. */
export type PhotoMime = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/avif';
/** The holder's photo: the signed image bytes as they are (photo.ts), or a line saying why it cannot be shown. */
export type PhotoView = { mime: PhotoMime; base64: string; width: number; height: number } | { unsupported: string };

export interface PersonView {
  name: string;
  /** ISO `YYYY-MM-DD` when the issued text is a date (Claim 169 uses YYYYMMDD), else exactly as issued. */
  dateOfBirth: string | null;
  photo: PhotoView | null;
}

export interface StatusView {
  /** "Settled status (EU Settlement Scheme)". */
  label: string;
  /** The permission's end (YYYY-MM-DD) or null; `permissionEndsText` says it in words either way. */
  permissionEnds: string | null;
  permissionEndsText: string;
  /** The identity document the code names, for the clerk to cross-check ("Passport 123456789"). */
  document: string | null;
}

/** A problem with the desk itself, shown on every screen until it is fixed. */
export interface DeskAlert {
  code: 'SCANNER_NOT_CONNECTED' | 'NO_SCANNER';
  text: string;
}

export interface ScreenState {
  kind: ScreenKind;
  /** true when the desk runs on the built-in DEMO keys: every display must say DEMO. */
  demo: boolean;
  purpose: DeskPurpose;
  /** "Right to rent in England", the check this desk makes. */
  purposeLabel: string;
  deskId: string;
  alerts: DeskAlert[];
  verdict: VerdictKind | null;
  reason: ReasonCode | null;
  /** The verdict together with the clerk's answer (src/check/outcome.ts); null when this is not a check. */
  outcome: Outcome | null;
  /** The big words: "VALID", "PHOTO DOES NOT MATCH", "NOT VALID", "CHECK MANUALLY", "SCAN AGAIN", … */
  headline: string;
  message: string;
  nextStep: string;
  icon: ScreenIcon;
  colour: ScreenColour;
  /** Only when the signature verified against a pinned key: unverified data is never shown as a person. */
  person: PersonView | null;
  status: StatusView | null;
  /** The rights asked, as the check found them (never a tick unless the check can still be, or is, an acceptance). */
  rights: RightLine[];
  /** When to check again, in words (and the date); null when this is not a check. */
  followUp: { date: string | null; text: string } | null;
  /** What an offline check is worth (configurable per deployment). Shown with every result. */
  worth: string;
  /** ISO instant of the check, or of the scan for scan-again / not-a-code; null when idle. */
  checkedAt: string | null;
  checkId: string | null;
  likeness: Likeness;
  likenessText: string | null;
  /** When this screen clears itself (ISO instant); null when it stays (idle). */
  clearsAt: string | null;
  /** Details the page asks for (idle: for the next check; a result with a person: for this one). Never their values. */
  askFor: DetailField[];
  referenceLabel: string;
}

export interface DeskView {
  purpose: DeskPurpose;
  demo: boolean;
  worth: string;
  /** The desk id of the records (config `desk.id`). */
  id: string;
  /** Details the page asks the checker for (config `desk.askFor`); kept only in the sealed personal copy. */
  askFor?: readonly DetailField[];
  /** What the reference is, as the page and the PDF name it (config `desk.referenceLabel`). */
  referenceLabel?: string;
}

/** Details a desk can ask the checker for, before or after a check: who checked, and the organisation's reference. */
export const DETAIL_FIELDS = ['checkerName', 'reference'] as const;
export type DetailField = (typeof DETAIL_FIELDS)[number];
export const DEFAULT_REFERENCE_LABEL = 'Reference';

export const DEFAULT_WORTH =
  'Supporting evidence only: an offline QR check is not a statutory excuse. ' +
  'For a right-to-work or right-to-rent statutory excuse, use the Home Office online service.';

export const IDLE_HEADLINE = HEADLINE.IDLE;

/** What a screen has besides its content: the desk's state now. */
export interface ScreenContext {
  alerts?: DeskAlert[];
  clearsAt?: Date | null;
}

function base(
  desk: DeskView,
  ctx: ScreenContext,
): Pick<ScreenState, 'demo' | 'purpose' | 'purposeLabel' | 'deskId' | 'alerts' | 'worth' | 'clearsAt' | 'askFor' | 'referenceLabel'> {
  return {
    demo: desk.demo,
    purpose: desk.purpose,
    purposeLabel: RIGHT_ASKED[desk.purpose],
    deskId: desk.id,
    alerts: ctx.alerts ?? [],
    worth: desk.worth,
    clearsAt: ctx.clearsAt ? ctx.clearsAt.toISOString() : null,
    askFor: [...(desk.askFor ?? [])],
    referenceLabel: desk.referenceLabel ?? DEFAULT_REFERENCE_LABEL,
  };
}

function notACheck(): Pick<
  ScreenState,
  'verdict' | 'reason' | 'outcome' | 'person' | 'status' | 'rights' | 'followUp' | 'checkId' | 'likeness' | 'likenessText'
> {
  return {
    verdict: null,
    reason: null,
    outcome: null,
    person: null,
    status: null,
    rights: [],
    followUp: null,
    checkId: null,
    likeness: 'not-asked',
    likenessText: null,
  };
}

export function idleScreen(desk: DeskView, ctx: ScreenContext = {}): ScreenState {
  const noScanner = ctx.alerts?.some((a) => a.code === 'NO_SCANNER') ?? false;
  return {
    kind: 'idle',
    ...base(desk, { ...ctx, clearsAt: null }),
    ...notACheck(),
    headline: noScanner ? HEADLINE.NO_SCANNER : HEADLINE.IDLE,
    message: noScanner
      ? 'No scanner can be read: connect the scanner (or check its cable) before the next person.'
      : "Scan the person's immigration-status QR code.",
    nextStep: '',
    icon: noScanner ? 'warning' : 'none',
    colour: 'neutral',
    checkedAt: null,
  };
}

/** A scan the scanner layer dropped before any check (garbled, cut off, over-long): scan again. */
export function scanAgainScreen(desk: DeskView, reason: DropReason, at: Date, ctx: ScreenContext = {}): ScreenState {
  const text = DROPPED_SCAN_TEXT[reason];
  return {
    kind: 'scan-again',
    ...base(desk, ctx),
    ...notACheck(),
    headline: HEADLINE.SCAN_AGAIN,
    message: text.message,
    nextStep: text.nextStep,
    icon: 'rescan',
    colour: 'blue',
    checkedAt: at.toISOString(),
  };
}

/** A text the verifier could not read: damaged (scan again) or plainly something else (not a status code). */
export function nonAnswerScreen(desk: DeskView, which: NonAnswer, at: Date, ctx: ScreenContext = {}): ScreenState {
  const text = NON_ANSWER_TEXT[which];
  const scanAgain = which === 'SCAN_AGAIN';
  return {
    kind: scanAgain ? 'scan-again' : 'not-a-code',
    ...base(desk, ctx),
    ...notACheck(),
    headline: scanAgain ? HEADLINE.SCAN_AGAIN : HEADLINE.NOT_A_STATUS_CODE,
    message: text.message,
    nextStep: text.nextStep,
    icon: scanAgain ? 'rescan' : 'not-a-code',
    colour: scanAgain ? 'blue' : 'neutral',
    checkedAt: at.toISOString(),
  };
}

/**
 * A result from the check's facts, or straight from a verdict (then the desk's purpose and DEMO flag, and the
 * likeness answer so far, default: still asking).
 */
export type ResultInput = {
  desk: DeskView;
  checkId: string;
  /** Prepared by photo.ts; null when the code has no photo. */
  photo?: PhotoView | null;
} & ({ facts: CheckFacts } | { verdict: Verdict; checkedAt: Date; likeness?: Likeness });

export function resultScreen(input: ResultInput, ctx: ScreenContext = {}): ScreenState {
  const { desk, checkId, photo = null } = input;
  const facts =
    'facts' in input
      ? input.facts
      : factsFromVerdict(input.verdict, {
          purpose: desk.purpose,
          checkedAt: input.checkedAt,
          likeness: input.likeness ?? 'ask',
          demo: desk.demo,
        });
  const d = describeCheck(facts);
  const s = d.status;
  return {
    kind: 'result',
    ...base(desk, ctx),
    verdict: d.verdict,
    reason: d.reason,
    outcome: d.outcome,
    headline: d.headline,
    message: d.message,
    nextStep: d.nextStep,
    icon: d.icon,
    colour: d.colour,
    person: d.person ? { ...d.person, photo } : null,
    status: s
      ? {
          label: s.label,
          permissionEnds: s.permissionEnds,
          permissionEndsText: s.permissionEndsText,
          document: s.document ? `${s.document.type} ${s.document.reference}` : null,
        }
      : null,
    rights: d.rights,
    followUp: { date: d.followUp.date, text: d.followUp.text },
    checkedAt: facts.checkedAt.toISOString(),
    checkId,
    likeness: d.likeness,
    likenessText: d.likenessText,
  };
}
