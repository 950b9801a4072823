/**
 * The kiosk config's `records.central` (src/kiosk/config.ts validates it; docs/kiosk-config.md lists the fields),
 * as the central stage takes it. Kept apart from connect.ts so the config can name the TLS modes without loading
 * anything else of this stage.
 */
export const TLS_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;
export type TlsMode = (typeof TLS_MODES)[number];

/** Kiosks look for newly published trust data this often (s) by default: well within a minute. */
export const DEFAULT_TRUST_POLL_SECONDS = 30;
/** The folder, inside the record folder, where a desk keeps its copy of the trust store plus published trust data. */
export const DEFAULT_FLEET_TRUST_DIR = 'fleet-trust';

export interface CentralSettings {
  url?: string;
  passwordFile?: string;
  tls?: { mode?: TlsMode; ca?: string; cert?: string; key?: string };
  /** The organisation's records PUBLIC key: when set, personal copies ship, sealed to it. */
  recordsKey?: string;
  trustDir?: string;
  trustPollSeconds: number;
}
