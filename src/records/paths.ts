import * as os from 'node:os';
import * as path from 'node:path';

function dataHome(env: NodeJS.ProcessEnv): string {
  return env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(os.homedir(), '.local', 'share');
}

/** Per-user data folder for records (XDG base directory spec): $XDG_DATA_HOME/proofdesk/records. */
export function defaultStoreDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(dataHome(env), 'proofdesk', 'records');
}

/**
 * The built-in DEMO desk's own record folder, $XDG_DATA_HOME/proofdesk/demo-records: trying proofdesk out never
 * mixes demonstration checks into a real desk's records.
 */
export function defaultDemoStoreDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(dataHome(env), 'proofdesk', 'demo-records');
}

/**
 * Personal-copy key: in the config folder, not beside the records, so a copy of the data folder
 * (a backup, a stolen disk image of /home/…/share) does not carry its own key.
 */
export function defaultKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(os.homedir(), '.config');
  return path.join(base, 'proofdesk', 'records.key');
}
