/**
 * The kiosk's defaults and desk purposes, without the config parser: the built-in DEMO desk (no config file) needs
 * these but not zod and yaml (≈ 15 MB resident), which `config.ts` loads only when a config file is given.
 */
import type { DeskPurpose } from '../credential/types.js';

/** The clock-skew tolerance is the verifier's (src/credential/limits.ts); the config's `trust.skewSeconds` defaults to it. */
export { DEFAULT_SKEW_SECONDS } from '../credential/limits.js';

/** The web screen's fixed default port (documented in README and docs/kiosk-config.md). */
export const DEFAULT_PORT = 7169;
export const DEFAULT_CLEAR_AFTER_SECONDS = 30;
export const DEFAULT_DUPLICATE_WINDOW_MS = 1500;
export const DEFAULT_MAX_STATUS_AGE_DAYS = 7;
/** Default keep-until: 6 years after the check. The legal periods (employment + 2 years, tenancy + 1 year) end on dates only the organisation knows; extend with `records keep`. */
export const DEFAULT_RETENTION_DAYS = 6 * 366;

export const CONFIG_PURPOSES = ['work', 'rent', 'housing', 'any'] as const;
export type ConfigPurpose = (typeof CONFIG_PURPOSES)[number];

export function deskPurposeOf(p: ConfigPurpose): DeskPurpose {
  return p === 'any' ? 'other' : p;
}
