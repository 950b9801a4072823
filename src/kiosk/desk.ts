/**
 * The desk, one way: scan → verify → the check's description → ScreenState → displays, and → record.
 *
 *   ScanHub 'scan'      → verify(text) → a check (photo headers read, shown on every display, then recorded), or
 *                          a non-answer (SCAN AGAIN / NOT A STATUS CODE: shown, counted, never recorded); another
 *                          text of the latest check's credential within the window is that check again
 *   ScanHub 'duplicate' → the latest code again within the window: one check; re-shown if its screen was cleared
 *   ScanHub 'dropped'   → SCAN AGAIN (counted, not recorded)
 *   likeness answer     → the screen that asked (web button or key, terminal key, bridge key) → a record entry
 *   desk alerts         → every screen shows them (a scanner not connected) until they clear
 *
 * Scans are handled in arrival order, one at a time; the queue is bounded so a scanner
 * that floods cannot grow memory. Logs carry codes, ids and timings only — never the scanned text, a name, a date
 * of birth, a document number or a photo.
 */
import type { Logger } from 'pino';
import {
  factsFromVerdict,
  nonAnswerOf,
  type CheckDescription,
  type CheckFacts,
  type LikenessAnswer,
  type NonAnswer,
} from '../check/index.js';
import { describeCheck } from '../check/describe.js';
import { revocationOf } from '../check/revocation.js';
import { normaliseCodeText } from '../credential/text.js';
import type { DeskPurpose } from '../credential/types.js';
import { DEFAULT_DEDUPE_WINDOW_MS } from '../scan/limits.js';
import type { DroppedScan, Scan } from '../scan/types.js';
import type { ScreenDisplay } from '../screen/display.js';
import { photoBytes, preparePhoto } from '../screen/photo.js';
import {
  idleScreen,
  nonAnswerScreen,
  resultScreen,
  scanAgainScreen,
  type DeskAlert,
  type DeskView,
  type PhotoView,
  type ScreenContext,
  type ScreenState,
} from '../screen/state.js';
import type { Verdict } from '../verify/verdict.js';

/** What the recorder is handed for one check: the description every reader shares, and what it was made from. */
export interface CheckToRecord {
  checkId: string;
  at: Date;
  /** The scanned text as verified (outer whitespace and inner line breaks removed). */
  text: string;
  verdict: Verdict;
  description: CheckDescription;
}

/** Where checks are recorded (src/records' RecordStore, adapted in store-recorder.ts). */
export interface CheckRecorder {
  recordCheck(check: CheckToRecord): void;
  recordLikeness(checkId: string, answer: LikenessAnswer, at: Date, description: CheckDescription): void;
  /** Who checked and the organisation's reference, into the check's sealed personal copy only (never the log). */
  recordDetails?(checkId: string, details: CheckDetails): void;
}

/** What the checker gave on the page (desk.askFor); each present one replaces what the copy held. */
export interface CheckDetails {
  checkerName?: string;
  reference?: string;
  referenceLabel?: string;
}

export interface DeskOptions {
  desk: DeskView;
  /** verify() bound to the keys and trust in force at the moment of the call. */
  check(text: string, now: number): Verdict;
  newCheckId(at: Date): string;
  /**
   * Does the trust in force hold status lists? A keys file does not: a VALID code's screen, record and PDF then say
   * revocation was not checked. Absent = the desk says nothing about revocation.
   */
  hasStatusLists?(): boolean;
  /** Was this code signed by a DEMO key? Its record then says DEMO. Default: whatever the desk is. */
  isDemoSigned?(verdict: Verdict): boolean;
  /** Every change is drawn on each display in this list; displays may join it later (the kiosk's start after the desk). */
  displays: ScreenDisplay[];
  recorder: CheckRecorder | null;
  clearAfterMs: number;
  log: Logger;
  clock?: () => number;
  /** Most scans waiting behind the one in progress; more are refused (logged), not queued. */
  maxQueued?: number;
  /** Another text of the latest check's credential within this long of its last sighting is that check (ms). */
  duplicateWindowMs?: number;
}

/** Scans that were not checks, and other things the desk counts (for /health; no personal data). */
export interface DeskCounters {
  checks: number;
  scanAgain: number;
  notAStatusCode: number;
  dropped: number;
  duplicates: number;
  refused: number;
}

/** A check the desk can still show: what the screen is built from. */
interface ShownCheck {
  text: string;
  checkId: string;
  facts: CheckFacts;
  photo: PhotoView | null;
  /** Verdict.credentialId: another text of the same credential is the same check. */
  credentialId: string | null;
  /** When it was last scanned (the window slides, as the hub's does). */
  seenAt: number;
  /** Repeats folded into it so far: the first is logged, the rest counted (one line per burst). */
  repeats: number;
}

type Content =
  | { kind: 'idle' }
  | { kind: 'check'; check: ShownCheck }
  | { kind: 'non-answer'; which: NonAnswer; at: Date }
  | { kind: 'dropped'; drop: DroppedScan };

/**
 * Checks remembered, for re-showing a duplicate of the latest and for answering the likeness question of one on
 * screen. A few are enough — a window is seconds long — and they are dropped at shutdown.
 */
const RECENT_CHECKS = 4;

export class Desk {
  private content: Content = { kind: 'idle' };
  private current: ScreenState;
  private alerts: DeskAlert[] = [];
  private clearsAt: Date | null = null;
  /** Newest last; bounded by RECENT_CHECKS. */
  private recent: ShownCheck[] = [];
  private clearTimer: NodeJS.Timeout | null = null;
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  private closed = false;
  private readonly clock: () => number;
  readonly counters: DeskCounters = { checks: 0, scanAgain: 0, notAStatusCode: 0, dropped: 0, duplicates: 0, refused: 0 };

  constructor(private readonly opts: DeskOptions) {
    this.clock = opts.clock ?? Date.now;
    this.current = idleScreen(opts.desk);
  }

  get state(): ScreenState {
    return this.current;
  }

  get purpose(): DeskPurpose {
    return this.opts.desk.purpose;
  }

  /** The desk's own problems now (e.g. a scanner not connected): every display shows them until they clear. */
  setAlerts(alerts: DeskAlert[]): void {
    if (this.closed || JSON.stringify(alerts) === JSON.stringify(this.alerts)) return;
    this.alerts = alerts;
    this.render();
  }

  /** A scan from the hub. Resolves once its screen is shown and its record written. */
  onScan(scan: Scan): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.queued >= (this.opts.maxQueued ?? 64)) {
      this.counters.refused++;
      this.opts.log.warn(
        { event: 'scan-refused', transport: scan.transport, source: scan.source, why: 'queue-full' },
        'scan refused: too many waiting',
      );
      return Promise.resolve();
    }
    this.queued++;
    const run = this.queue
      .then(() => this.check(scan))
      .catch((err: unknown) => {
        this.opts.log.error(
          { event: 'check-failed', err: { message: (err as Error).message, code: (err as { code?: string }).code } },
          'check failed',
        );
      })
      .finally(() => {
        this.queued--;
      });
    this.queue = run;
    return run;
  }

  /**
   * The same code again within the duplicate window: still one check, no new record. If its screen is not the one
   * showing (auto-cleared, or replaced by another scan or a "scan again"), it is shown again.
   */
  onDuplicate(scan: Scan): void {
    if (this.closed) return;
    this.counters.duplicates++;
    // The hub folds only the latest code: its check is the latest one, or still being checked (screen on the way),
    // or it was not a check at all (its screen is showing).
    const check = this.recent.at(-1);
    if (!check || check.text !== normaliseCodeText(scan.text)) return;
    this.repeat(check, scan.at);
  }

  /** The latest check's code again: no new check or record; re-shown if its screen has gone. Logged once a burst. */
  private repeat(check: ShownCheck, at: number): void {
    check.seenAt = at;
    check.repeats++;
    const reshown = this.current.checkId !== check.checkId;
    if (check.repeats === 1 || reshown) this.opts.log.info({ event: 'duplicate', checkId: check.checkId, reshown }, 'same code again');
    if (!reshown) return;
    const recordLeft = this.leaveScreen();
    this.show({ kind: 'check', check: this.recent.find((c) => c.checkId === check.checkId) ?? check });
    recordLeft();
  }

  onDropped(drop: DroppedScan): void {
    if (this.closed) return;
    this.counters.dropped++;
    this.opts.log.info({ event: 'dropped', reason: drop.reason, transport: drop.transport, source: drop.source }, 'scan dropped');
    const recordLeft = this.leaveScreen();
    this.show({ kind: 'dropped', drop });
    recordLeft();
  }

  /** The checker's answer from any display. False when that check is not the one on screen asking. */
  answerLikeness(checkId: string, answer: LikenessAnswer, via: string): boolean {
    if (this.closed || this.content.kind !== 'check' || this.current.checkId !== checkId || this.current.likeness !== 'ask') return false;
    const check = this.answered(this.content.check, answer);
    this.show({ kind: 'check', check });
    const description = describeCheck(check.facts);
    this.record(() => this.opts.recorder?.recordLikeness(checkId, answer, new Date(this.clock()), description));
    this.opts.log.info({ event: 'likeness', checkId, answer, outcome: description.outcome, via }, 'likeness answered');
    return true;
  }

  /**
   * The checker's name and reference for a check the desk showed (on screen now, or one of the last few: the
   * screen may have cleared while they typed). Only a check with a person (a verified code) has a personal copy to
   * hold them. False when the desk does not know that check or cannot keep them; the log says why, never the values.
   */
  addDetails(checkId: string, details: CheckDetails, via: string): boolean {
    const check = this.recent.find((c) => c.checkId === checkId);
    const recorder = this.opts.recorder;
    if (this.closed || !check || describeCheck(check.facts).person === null || !recorder?.recordDetails) return false;
    try {
      recorder.recordDetails(checkId, details);
    } catch (err) {
      this.opts.log.error(
        { event: 'details-failed', checkId, err: { message: (err as Error).message, code: (err as { code?: string }).code } },
        'checker details NOT kept',
      );
      return false;
    }
    this.opts.log.info(
      { event: 'details', checkId, fields: Object.keys(details).filter((k) => details[k as keyof CheckDetails] !== undefined), via },
      'checker details kept',
    );
    return true;
  }

  /** Stop taking scans; clears the screen so nothing personal stays on a display. */
  close(): void {
    if (this.closed) return;
    const recordLeft = this.leaveScreen();
    this.show({ kind: 'idle' }); // no display keeps a person on screen after shutdown
    recordLeft();
    this.closed = true;
    this.recent = [];
    if (this.clearTimer) clearTimeout(this.clearTimer);
  }

  private async check(scan: Scan): Promise<void> {
    if (this.closed) return;
    const started = performance.now();
    const now = this.clock();
    const text = normaliseCodeText(scan.text);
    const verdict = this.opts.check(text, now);
    const latest = this.recent.at(-1);
    const windowMs = this.opts.duplicateWindowMs ?? DEFAULT_DEDUPE_WINDOW_MS;
    if (
      verdict.credentialId !== null &&
      latest?.credentialId === verdict.credentialId &&
      windowMs > 0 &&
      scan.at - latest.seenAt < windowMs
    ) {
      return this.repeat(latest, scan.at); // the same credential in another text (docs/credential-format.md)
    }
    const nonAnswer = nonAnswerOf(text, verdict.reason);
    if (nonAnswer !== null) {
      if (nonAnswer === 'SCAN_AGAIN') this.counters.scanAgain++;
      else this.counters.notAStatusCode++;
      const recordLeft = this.leaveScreen();
      this.show({ kind: 'non-answer', which: nonAnswer, at: new Date(now) });
      recordLeft();
      this.opts.log.info(
        {
          event: 'not-a-check',
          kind: nonAnswer,
          reason: verdict.reason,
          transport: scan.transport,
          source: scan.source,
          chars: text.length,
        },
        'scan was not a check',
      );
      return;
    }
    const trusted = verdict.verifiedBy !== null;
    const bytes = trusted ? photoBytes(verdict.identity) : null;
    const photo: PhotoView | null = bytes ? preparePhoto(bytes) : null;
    if (this.closed) return;
    const checkedAt = new Date(now);
    const checkId = this.opts.newCheckId(checkedAt);
    const facts = factsFromVerdict(verdict, {
      purpose: this.opts.desk.purpose,
      checkedAt,
      likeness: 'ask',
      demo: this.opts.isDemoSigned?.(verdict) ?? this.opts.desk.demo,
      revocation: this.opts.hasStatusLists ? revocationOf(verdict, this.opts.hasStatusLists()) : null,
    });
    const check: ShownCheck = { text, checkId, facts, photo, credentialId: verdict.credentialId, seenAt: scan.at, repeats: 0 };
    const recordLeft = this.leaveScreen();
    if (latest && latest.repeats > 1)
      this.opts.log.info({ event: 'duplicates', checkId: latest.checkId, repeats: latest.repeats }, 'repeats of a code folded');
    this.recent.push(check);
    if (this.recent.length > RECENT_CHECKS) this.recent.shift();
    this.counters.checks++;
    this.show({ kind: 'check', check });
    const shownMs = performance.now() - started;
    recordLeft();
    const description = describeCheck(facts);
    this.record(() => this.opts.recorder?.recordCheck({ checkId, at: checkedAt, text, verdict, description }));
    this.opts.log.info(
      {
        event: 'check',
        checkId,
        verdict: verdict.verdict,
        reason: verdict.reason,
        outcome: description.outcome,
        kid: verdict.kid,
        transport: scan.transport,
        source: scan.source,
        chars: text.length,
        shownMs: Math.round(shownMs * 100) / 100,
      },
      'check shown',
    );
  }

  /** A remembered check with the clerk's answer; the memory is updated so a re-shown duplicate keeps the answer. */
  private answered(check: ShownCheck, answer: LikenessAnswer): ShownCheck {
    const next = { ...check, facts: { ...check.facts, likeness: answer } };
    const i = this.recent.findIndex((c) => c.checkId === check.checkId);
    if (i >= 0) this.recent[i] = next;
    return next;
  }

  /**
   * A screen that asked about the photo and got no answer is recorded as "not checked" when it goes. The state is
   * updated now; the returned write runs after the next screen is shown, so a disk sync never delays a screen.
   */
  private leaveScreen(): () => void {
    if (this.content.kind !== 'check' || this.current.likeness !== 'ask') return () => {};
    const check = this.answered(this.content.check, 'not-asked');
    const at = new Date(this.clock());
    const description = describeCheck(check.facts);
    this.content = { kind: 'check', check };
    return () => this.record(() => this.opts.recorder?.recordLikeness(check.checkId, 'not-asked', at, description));
  }

  private screenOf(content: Content, ctx: ScreenContext): ScreenState {
    const desk = this.opts.desk;
    switch (content.kind) {
      case 'idle':
        return idleScreen(desk, ctx);
      case 'check':
        return resultScreen({ facts: content.check.facts, desk, checkId: content.check.checkId, photo: content.check.photo }, ctx);
      case 'non-answer':
        return nonAnswerScreen(desk, content.which, content.at, ctx);
      case 'dropped':
        return scanAgainScreen(desk, content.drop.reason, new Date(content.drop.at), ctx);
    }
  }

  /** Show new content: every display draws it, and the auto-clear starts again. */
  private show(content: Content): void {
    this.content = content;
    if (this.clearTimer) clearTimeout(this.clearTimer);
    this.clearTimer = null;
    this.clearsAt = null;
    if (content.kind !== 'idle') {
      this.clearsAt = new Date(this.clock() + this.opts.clearAfterMs);
      this.clearTimer = setTimeout(() => this.clear(), this.opts.clearAfterMs);
      this.clearTimer.unref();
    }
    this.render();
  }

  /** Draw the current content with the desk's state now (alerts, when it clears). */
  private render(): void {
    this.current = this.screenOf(this.content, { alerts: this.alerts, clearsAt: this.clearsAt });
    for (const d of this.opts.displays) {
      try {
        d.show(this.current);
      } catch (err) {
        this.opts.log.error({ event: 'display-failed', display: d.name, err: { message: (err as Error).message } }, 'display failed');
      }
    }
  }

  /** Auto-clear: the next person in the queue must not see the previous one. */
  private clear(): void {
    if (this.closed) return;
    const recordLeft = this.leaveScreen();
    this.show({ kind: 'idle' });
    recordLeft();
    this.opts.log.debug({ event: 'cleared' }, 'screen cleared');
  }

  private record(write: () => void): void {
    try {
      write();
    } catch (err) {
      // The verdict stays on screen; the failure is loud in the log (codes only).
      this.opts.log.error(
        { event: 'record-failed', err: { message: (err as Error).message, code: (err as { code?: string }).code } },
        'check record NOT written',
      );
    }
  }
}
