import * as path from 'node:path';
import { xdgHome } from '../storage/paths.js';

/** Per-user data folder for records (XDG base directory spec): $XDG_DATA_HOME/proofdesk/records. */
export function defaultStoreDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(xdgHome('data', env), 'proofdesk', 'records');
}

/**
 * The built-in DEMO desk's own record folder, $XDG_DATA_HOME/proofdesk/demo-records: trying proofdesk out never
 * mixes demonstration checks into a real desk's records.
 */
export function defaultDemoStoreDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(xdgHome('data', env), 'proofdesk', 'demo-records');
}

/**
 * Personal-copy key: in the config folder, not beside the records, so a copy of the data folder
 * (a backup, a stolen disk image of /home/…/share) does not carry its own key.
 */
export function defaultKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(xdgHome('config', env), 'proofdesk', 'records.key');
}
