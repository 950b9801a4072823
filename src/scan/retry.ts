/** Reconnect with back-off: 250 ms, doubling, at most 5 s between attempts, until stopped. */
import { RECONNECT_FIRST_MS, RECONNECT_MAX_MS } from './limits.js';

export class Retry {
  private timer: NodeJS.Timeout | null = null;
  private delay = RECONNECT_FIRST_MS;
  private stopped = false;

  /** `attempt` resolves true when the device is back; the loop then ends. */
  constructor(private readonly attempt: () => Promise<boolean>) {}

  start(): void {
    this.stopped = false;
    this.delay = RECONNECT_FIRST_MS;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(async () => {
      this.timer = null;
      if (this.stopped) return;
      const ok = await this.attempt().catch(() => false);
      if (ok || this.stopped) return;
      this.delay = Math.min(this.delay * 2, RECONNECT_MAX_MS);
      this.schedule();
    }, this.delay);
  }
}
