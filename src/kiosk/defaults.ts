/**
 * The kiosk's defaults and desk purposes, without the config parser: the built-in DEMO desk (no config file) needs
 * these but not zod and yaml (≈ 15 MB resident), which `config.ts` loads only when a config file is given.
 */
import type { DeskPurpose } from '../credential/types.js';
import { DEFAULT_MAX_STATUS_AGE_SECONDS } from '../trust/limits.js';

/** The clock-skew tolerance is the verifier's (src/credential/limits.ts); the config's `trust.skewSeconds` defaults to it. */
export { DEFAULT_SKEW_SECONDS } from '../credential/limits.js';

/** The web screen's fixed default port (documented in README and docs/kiosk-config.md). */
export const DEFAULT_PORT = 7169;
export const DEFAULT_CLEAR_AFTER_SECONDS = 30;
/** The config's `scanners.duplicateWindowMs` defaults to the scan hub's own window. */
export { DEFAULT_DEDUPE_WINDOW_MS as DEFAULT_DUPLICATE_WINDOW_MS } from '../scan/limits.js';
/** The config's `trust.maxStatusAgeDays` defaults to the trust layer's maximum age (7 days). */
export const DEFAULT_MAX_STATUS_AGE_DAYS = DEFAULT_MAX_STATUS_AGE_SECONDS / 86_400;
/** Default keep-until: 6 years after the check. The legal periods (employment + 2 years, tenancy + 1 year) end on dates only the organisation knows; extend with `records keep`. */
export const DEFAULT_RETENTION_DAYS = 6 * 366;

export const CONFIG_PURPOSES = ['work', 'rent', 'housing', 'any'] as const;
export type ConfigPurpose = (typeof CONFIG_PURPOSES)[number];

export function deskPurposeOf(p: ConfigPurpose): DeskPurpose {
  return p === 'any' ? 'other' : p;
}
