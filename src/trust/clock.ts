/**
 * Clock sanity. An offline kiosk's clock drifts or resets; a trusted bundle or status list proves what time it was
 * at least. The floor is the newest `iat` of any bundle or status list ever accepted (kept in state.json, so it
 * survives a file being replaced) or now loaded. A clock earlier than floor − skew is suspect: the verifier then
 * answers CHECK MANUALLY `CLOCK_SUSPECT`.
 */
import type { StoreSnapshot } from './store.js';

export interface ClockState {
  /** NumericDate floor, or null when no bundle was ever accepted. */
  floor: number | null;
  /** The kiosk clock (NumericDate) when judged. */
  now: number;
  suspect: boolean;
  /** How far the clock is behind the floor, seconds (0 when it is not). */
  behindSeconds: number;
}

export function clockFloorOf(
  snapshot: Pick<StoreSnapshot, 'highestIat' | 'bundle'> & Partial<Pick<StoreSnapshot, 'statusLists' | 'listMarks'>>,
): number | null {
  let floor = Math.max(snapshot.highestIat, snapshot.bundle?.iat ?? 0);
  for (const t of snapshot.statusLists ?? []) floor = Math.max(floor, t.iat);
  for (const iat of Object.values(snapshot.listMarks ?? {})) floor = Math.max(floor, iat);
  return floor > 0 ? floor : null;
}

export function judgeClock(floor: number | null, nowSeconds: number, skewSeconds: number): ClockState {
  const behind = floor === null ? 0 : Math.max(0, floor - nowSeconds);
  return {
    floor,
    now: Math.floor(nowSeconds),
    suspect: floor !== null && nowSeconds < floor - skewSeconds,
    behindSeconds: Math.ceil(behind),
  };
}
