/**
 * The XDG base directories (XDG Base Directory Specification 0.8) the local stores and the kiosk's log live under:
 * `$XDG_DATA_HOME`, `$XDG_CONFIG_HOME`, `$XDG_STATE_HOME` when set to an absolute path, else the spec's default under
 * the home folder. A relative or empty value is ignored, as the spec says ("if an implementation encounters a
 * relative path … it should consider the path invalid and ignore it"). Each caller adds its own subfolder.
 */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

const XDG = {
  data: ['XDG_DATA_HOME', ['.local', 'share']],
  config: ['XDG_CONFIG_HOME', ['.config']],
  state: ['XDG_STATE_HOME', ['.local', 'state']],
} as const;

/** The base folder of one kind: the variable if absolute, else `$HOME/<default>` (the account's home when HOME is unset or empty). */
export function xdgHome(kind: keyof typeof XDG, env: NodeJS.ProcessEnv = process.env): string {
  const [name, fallback] = XDG[kind];
  const value = env[name];
  return value && isAbsolute(value) ? value : join(env.HOME || homedir(), ...fallback);
}
