import type { ScreenState } from './state.js';

/**
 * A display draws ScreenStates and nothing else. `show` must not block the pipeline: a slow device queues or
 * drops internally. Displays with an input (web button, terminal key, bridge key) report the likeness answer
 * through the callback they were built with, never by changing a state themselves.
 */
export interface ScreenDisplay {
  readonly name: string;
  show(state: ScreenState): void;
  close(): Promise<void>;
}
