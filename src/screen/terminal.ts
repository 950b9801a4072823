/**
 * The terminal display, for headless desks and development: each ScreenState as a short block of text.
 * Words and a symbol always carry the verdict; colour (ANSI) is added only when the stream is a TTY.
 */
import { safeDeep } from '../text/safe.js';
import type { ScreenColour, ScreenIcon, ScreenState } from './state.js';

const SYMBOL: Record<ScreenIcon, string> = { tick: '[✔]', cross: '[✖]', warning: '[!]', none: '' };
const ANSI: Record<ScreenColour, string> = { green: '\x1b[1;97;42m', red: '\x1b[1;97;41m', amber: '\x1b[1;30;43m', neutral: '\x1b[1m' };
const RESET = '\x1b[0m';


export interface TerminalOptions {
  colour: boolean;
  /** y / n / x typed at this terminal answer the likeness question. */
  likenessKeys: boolean;
  /** Is there a web screen to show the photo and take the answer? (default true) */
  web?: boolean;
}

export function renderTerminal(state: ScreenState, opts: TerminalOptions): string {
  // Text that came out of a code cannot drive the terminal or reorder the lines around it (src/text/safe.ts).
  const s = safeDeep(state);
  const web = opts.web ?? true;
  const lines: string[] = [];
  const head = `${SYMBOL[s.icon]} ${s.headline}`.trim();
  lines.push('', opts.colour ? `${ANSI[s.colour]} ${head} ${RESET}` : `== ${head} ==`);
  if (s.demo) lines.push('DEMO — demonstration keys only, not a real check');
  if (s.message) lines.push(s.message);
  if (s.nextStep) lines.push(`Next: ${s.nextStep}`);
  if (s.person) {
    lines.push(`Name:          ${s.person.name}`);
    lines.push(`Date of birth: ${s.person.dateOfBirth ?? 'not in the code'}`);
    const photo = s.person.photo;
    lines.push(`Photo:         ${photo === null ? 'none in the code' : !('base64' in photo) ? photo.unsupported
      : web ? 'shown on the web screen' : 'in the code, but a text screen cannot show it: compare the person with their identity document'}`);
  }
  if (s.status) {
    lines.push(`Status:        ${s.status.statusLabel} (${s.status.schemeLabel})`);
    for (const r of s.status.rights) lines.push(`  - ${r.text}`);
    lines.push(`Valid until:   ${s.status.validUntil ?? 'no time limit'}`);
    if (s.status.followUpDate) lines.push(`Check again by ${s.status.followUpDate}`);
  }
  if (s.likeness === 'ask') {
    lines.push(opts.likenessKeys
      ? 'Is the photo of the person in front of you? Type y (yes), n (no) or x (not checked), then Enter.'
      : `Is the photo of the person in front of you? Answer ${web ? 'on the web screen' : 'with the bridge box\'s YES / NO keys'}.`);
  } else if (s.kind === 'result' && s.person) {
    lines.push(`Likeness: ${s.likeness}`);
  }
  if (s.kind === 'result') lines.push(s.worth);
  if (s.checkedAt) lines.push(`Checked ${s.checkedAt}${s.checkId ? `  check ${s.checkId}` : ''}`);
  return lines.join('\n') + '\n';
}

export interface TerminalDisplay {
  readonly name: 'terminal';
  show(state: ScreenState): void;
  close(): Promise<void>;
}

export function terminalDisplay(out: NodeJS.WritableStream & { isTTY?: boolean }, likenessKeys: boolean, web = true): TerminalDisplay {
  const colour = out.isTTY === true;
  return {
    name: 'terminal',
    show(state) {
      out.write(renderTerminal(state, { colour, likenessKeys, web }));
    },
    async close() {},
  };
}
