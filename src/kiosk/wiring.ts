/**
 * The desk pipeline, one way: scan → verify → ScreenState → displays, and → record.
 *
 *   ScanHub 'scan'      → verify(text) → photo (headers read) → resultScreen → every display; then the check record
 *                         (another text of the latest check's credential within the window: that check again)
 *   ScanHub 'duplicate' → the latest code again within the window: one check; re-shown if its screen was cleared
 *   ScanHub 'dropped'   → "scan again"
 *   likeness answer     → the screen that asked (web button, terminal key, bridge key) → a follow-up record entry
 *
 * Scans are handled in arrival order, one at a time; the queue is bounded so a scanner
 * that floods cannot grow memory. Logs carry codes, ids and timings only — never the scanned text, a name, a date
 * of birth, a document number or a photo.
 */
import type { Logger } from 'pino';
import type { DeskPurpose } from '../credential/types.js';
import { DEFAULT_DEDUPE_WINDOW_MS } from '../scan/limits.js';
import type { DroppedScan, Scan } from '../scan/types.js';
import type { ScreenDisplay } from '../screen/display.js';
import { photoBytes, preparePhoto } from '../screen/photo.js';
import { idleScreen, resultScreen, scanAgainScreen, withLikeness, type DeskView, type LikenessAnswer, type PhotoView, type ScreenState } from '../screen/state.js';
import type { Verdict } from '../verify/verdict.js';

/** Where checks are recorded (src/records' RecordStore, adapted in kiosk.ts). */
export interface CheckRecorder {
  recordCheck(check: { checkId: string; at: Date; text: string; verdict: Verdict; state: ScreenState }): void;
  recordLikeness(checkId: string, answer: LikenessAnswer, at: Date): void;
}

export interface DeskOptions {
  desk: DeskView;
  /** verify() bound to the keys and trust in force at the moment of the call. */
  check(text: string, now: number): Verdict;
  newCheckId(at: Date): string;
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

interface LastCheck {
  text: string;
  state: ScreenState;
  /** Verdict.credentialId: another text of the same credential is the same check. */
  credentialId: string | null;
  /** When it was last scanned (the window slides, as the hub's does). */
  seenAt: number;
  /** Repeats folded into it so far: the first is logged, the rest counted (one line per burst). */
  repeats: number;
}

/**
 * Checks remembered, for re-showing a duplicate of the latest and for answering the likeness question of one on
 * screen. A few are enough — a window is seconds long — and they are dropped at shutdown.
 */
const RECENT_CHECKS = 4;

export class Desk {
  private current: ScreenState;
  /** Newest last; bounded by RECENT_CHECKS. */
  private recent: LastCheck[] = [];
  private clearTimer: NodeJS.Timeout | null = null;
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  private closed = false;
  private readonly clock: () => number;
  readonly idle: ScreenState;

  constructor(private readonly opts: DeskOptions) {
    this.clock = opts.clock ?? Date.now;
    this.idle = idleScreen(opts.desk);
    this.current = this.idle;
  }

  get state(): ScreenState {
    return this.current;
  }

  get purpose(): DeskPurpose {
    return this.opts.desk.purpose;
  }

  /** A scan from the hub. Resolves once its screen is shown and its record written. */
  onScan(scan: Scan): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.queued >= (this.opts.maxQueued ?? 64)) {
      this.opts.log.warn({ event: 'scan-refused', transport: scan.transport, source: scan.source, why: 'queue-full' }, 'scan refused: too many waiting');
      return Promise.resolve();
    }
    this.queued++;
    const run = this.queue.then(() => this.check(scan)).catch((err: unknown) => {
      this.opts.log.error({ event: 'check-failed', err: { message: (err as Error).message, code: (err as { code?: string }).code } }, 'check failed');
    }).finally(() => {
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
    // The hub folds only the latest code: its check is the latest one, or still being checked (screen on the way).
    const check = this.recent.at(-1);
    if (!check || check.text !== scan.text) return;
    this.repeat(check, scan.at);
  }

  /** The latest check's code again: no new check or record; re-shown if its screen has gone. Logged once a burst. */
  private repeat(check: LastCheck, at: number): void {
    check.seenAt = at;
    check.repeats++;
    const reshown = this.current.checkId !== check.state.checkId;
    if (check.repeats === 1 || reshown) this.opts.log.info({ event: 'duplicate', checkId: check.state.checkId, reshown }, 'same code again');
    if (!reshown) return;
    const recordLeft = this.leaveScreen();
    this.show(this.recentState(check.state.checkId));
    recordLeft();
  }

  onDropped(drop: DroppedScan): void {
    if (this.closed) return;
    this.opts.log.info({ event: 'dropped', reason: drop.reason, transport: drop.transport, source: drop.source }, 'scan dropped');
    const recordLeft = this.leaveScreen();
    this.show(scanAgainScreen(this.opts.desk, drop.reason, new Date(drop.at)));
    recordLeft();
  }

  /** The checker's answer from any display. False when that check is not the one on screen asking. */
  answerLikeness(checkId: string, answer: LikenessAnswer, via: string): boolean {
    if (this.closed || this.current.checkId !== checkId || this.current.likeness !== 'ask') return false;
    const next = withLikeness(this.current, answer);
    this.remember(next);
    this.show(next);
    this.record(() => this.opts.recorder?.recordLikeness(checkId, answer, new Date(this.clock())));
    this.opts.log.info({ event: 'likeness', checkId, answer, via }, 'likeness answered');
    return true;
  }

  /** Stop taking scans; clears the screen so nothing personal stays on a display. */
  close(): void {
    if (this.closed) return;
    const recordLeft = this.leaveScreen();
    this.show(this.idle); // no display keeps a person on screen after shutdown
    recordLeft();
    this.closed = true;
    this.recent = [];
    if (this.clearTimer) clearTimeout(this.clearTimer);
  }

  private async check(scan: Scan): Promise<void> {
    if (this.closed) return;
    const started = performance.now();
    const now = this.clock();
    const verdict = this.opts.check(scan.text, now);
    const latest = this.recent.at(-1);
    const windowMs = this.opts.duplicateWindowMs ?? DEFAULT_DEDUPE_WINDOW_MS;
    if (verdict.credentialId !== null && latest?.credentialId === verdict.credentialId && windowMs > 0 && scan.at - latest.seenAt < windowMs) {
      return this.repeat(latest, scan.at); // the same credential in another text (docs/credential-format.md)
    }
    const bytes = verdict.verifiedBy !== null ? photoBytes(verdict.identity) : null;
    const photo: PhotoView | null = bytes ? preparePhoto(bytes) : null;
    if (this.closed) return;
    const checkedAt = new Date(now);
    const checkId = this.opts.newCheckId(checkedAt);
    const state = resultScreen({ verdict, desk: this.opts.desk, checkedAt, checkId, photo });
    const recordLeft = this.leaveScreen();
    if (latest && latest.repeats > 1) this.opts.log.info({ event: 'duplicates', checkId: latest.state.checkId, repeats: latest.repeats }, 'repeats of a code folded');
    this.recent.push({ text: scan.text, state, credentialId: verdict.credentialId, seenAt: scan.at, repeats: 0 });
    if (this.recent.length > RECENT_CHECKS) this.recent.shift();
    this.show(state);
    const shownMs = performance.now() - started;
    recordLeft();
    this.record(() => this.opts.recorder?.recordCheck({ checkId, at: checkedAt, text: scan.text, verdict, state }));
    this.opts.log.info({
      event: 'check', checkId, verdict: verdict.verdict, reason: verdict.reason, kid: verdict.kid,
      transport: scan.transport, source: scan.source, chars: scan.text.length, shownMs: Math.round(shownMs * 100) / 100,
    }, 'check shown');
  }

  /**
   * A screen that asked about the photo and got no answer is recorded as "not asked" when it goes. The state is
   * updated now; the returned write runs after the next screen is shown, so a disk sync never delays a screen.
   */
  private leaveScreen(): () => void {
    const s = this.current;
    if (!(s.kind === 'result' && s.likeness === 'ask' && s.checkId)) return () => {};
    const checkId = s.checkId;
    const at = new Date(this.clock());
    this.current = withLikeness(s, 'not-asked');
    this.remember(this.current);
    return () => this.record(() => this.opts.recorder?.recordLikeness(checkId, 'not-asked', at));
  }

  /** Keep a remembered check's state in step with its screen (the likeness answer). */
  private remember(state: ScreenState): void {
    const i = this.recent.findIndex((c) => c.state.checkId === state.checkId);
    if (i >= 0) this.recent[i] = { ...this.recent[i]!, state };
  }

  private recentState(checkId: string | null): ScreenState {
    return this.recent.find((c) => c.state.checkId === checkId)!.state;
  }

  private show(state: ScreenState): void {
    this.current = state;
    for (const d of this.opts.displays) {
      try {
        d.show(state);
      } catch (err) {
        this.opts.log.error({ event: 'display-failed', display: d.name, err: { message: (err as Error).message } }, 'display failed');
      }
    }
    if (this.clearTimer) clearTimeout(this.clearTimer);
    this.clearTimer = null;
    if (state.kind !== 'idle') {
      this.clearTimer = setTimeout(() => this.clear(), this.opts.clearAfterMs);
      this.clearTimer.unref();
    }
  }

  /** Auto-clear: the next person in the queue must not see the previous one. */
  private clear(): void {
    if (this.closed) return;
    const recordLeft = this.leaveScreen();
    this.show(this.idle);
    recordLeft();
    this.opts.log.debug({ event: 'cleared' }, 'screen cleared');
  }

  private record(write: () => void): void {
    try {
      write();
    } catch (err) {
      // The verdict stays on screen; the failure is loud in the log (codes only).
      this.opts.log.error({ event: 'record-failed', err: { message: (err as Error).message, code: (err as { code?: string }).code } }, 'check record NOT written');
    }
  }
}
