/** Collects a scanner's events and waits for them with generous timeouts (never timing assertions). */
import type { EventEmitter } from 'node:events';

export class EventLog<T = unknown> {
  readonly items: T[] = [];
  private waiters: Array<() => void> = [];

  constructor(emitter: EventEmitter, event: string) {
    emitter.on(event, (value: T) => {
      this.items.push(value);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Resolves when `pred` holds over the items seen so far. */
  until(pred: (items: T[]) => boolean, timeoutMs = 20_000, what = 'events'): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (pred(this.items)) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(check);
      };
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${what}; have ${JSON.stringify(this.items).slice(0, 500)}`)),
        timeoutMs,
      );
      check();
    });
  }

  count(n: number, what?: string): Promise<void> {
    return this.until((items) => items.length >= n, 20_000, what ?? `${n} events`);
  }
}
