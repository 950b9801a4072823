/**
 * The terminal display, for headless desks and development: each ScreenState as a short block of text.
 * Words and a symbol always carry the verdict; colour (ANSI) is added only when the stream is a TTY.
 */
import { LIKENESS_QUESTION, longDate } from '../check/words.js';
import { safeDeep } from '../text/safe.js';
import type { ScreenColour, ScreenIcon, ScreenState } from './state.js';

const SYMBOL: Record<ScreenIcon, string> = {
  tick: '[✔]',
  cross: '[✖]',
  warning: '[!]',
  mismatch: '[≠]',
  incomplete: '[?]',
  rescan: '[↻]',
  'not-a-code': '[∅]',
  none: '',
};
const ANSI: Record<ScreenColour, string> = {
  green: '\x1b[1;97;42m',
  red: '\x1b[1;97;41m',
  amber: '\x1b[1;30;43m',
  blue: '\x1b[1;97;44m',
  neutral: '\x1b[1m',
};
const RESET = '\x1b[0m';
const LONDON_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeStyle: 'medium' });
/** A right the check did not establish is never marked as granted. */
const ANSWER_MARK: Record<ScreenState['rights'][number]['answer'], string> = {
  yes: '✔',
  restricted: '!',
  no: '✖',
  assess: '?',
  'not-established': '–',
};

export interface TerminalOptions {
  colour: boolean;
  /** y / n / x typed at this terminal answer the likeness question. */
  likenessKeys: boolean;
  /** Is there a web screen to show the photo and take the answer? (default true) */
  web?: boolean;
  /** Bridge boxes with YES / NO keys are attached. */
  bridgeKeys?: boolean;
}

function answerHint(opts: TerminalOptions): string {
  const web = opts.web ?? true;
  if (opts.likenessKeys) return 'Press y (yes), n (no) or x (not checked).';
  const where = [web ? 'on the web screen' : null, opts.bridgeKeys ? "with the bridge box's YES / NO keys" : null].filter(Boolean);
  return where.length > 0
    ? `Answer ${where.join(' or ')}.`
    : 'No screen here can take the answer: this check will be recorded as "not checked".';
}

export function renderTerminal(state: ScreenState, opts: TerminalOptions): string {
  // Text that came out of a code cannot drive the terminal or reorder the lines around it (src/text/safe.ts).
  const s = safeDeep(state);
  const web = opts.web ?? true;
  const lines: string[] = [];
  const head = `${SYMBOL[s.icon]} ${s.headline}`.trim();
  lines.push('', opts.colour ? `${ANSI[s.colour]} ${head} ${RESET}` : `== ${head} ==`);
  if (s.demo) lines.push('DEMO — demonstration keys only, not a real check');
  for (const alert of s.alerts) lines.push(`!! ${alert.text}`);
  if (s.message) lines.push(s.message);
  if (s.nextStep) lines.push(`Next: ${s.nextStep}`);
  if (s.person) {
    lines.push(`Name:            ${s.person.name}`);
    lines.push(`Date of birth:   ${s.person.dateOfBirth ? longDate(s.person.dateOfBirth) : 'not in the code'}`);
    const photo = s.person.photo;
    lines.push(
      `Photo:           ${
        photo === null
          ? 'none in the code'
          : !('base64' in photo)
            ? photo.unsupported
            : web
              ? 'shown on the web screen'
              : 'in the code, but a text screen cannot show it: compare the person with their identity document'
      }`,
    );
  }
  if (s.status) {
    lines.push(`Status:          ${s.status.label}`);
    lines.push(`Permission ends: ${s.status.permissionEndsText}`);
    if (s.status.document) lines.push(`Document:        ${s.status.document}`);
  }
  if (s.kind === 'result') {
    lines.push(`Checked for:     ${s.purposeLabel}`);
    for (const r of s.rights) lines.push(`  ${ANSWER_MARK[r.answer]} ${r.text}`);
    if (s.followUp) lines.push(`Follow-up check: ${s.followUp.text}`);
  }
  if (s.likeness === 'ask') lines.push(`${LIKENESS_QUESTION} ${answerHint(opts)}`);
  else if (s.likenessText) lines.push(`Photo check:     ${s.likenessText}`);
  if (s.kind === 'result') lines.push(s.worth);
  if (s.checkedAt) lines.push(`Checked ${s.checkedAt}${s.checkId ? `  check ${s.checkId}` : ''}  desk ${s.deskId}`);
  if (s.clearsAt) {
    const seconds = Math.max(0, Math.round((Date.parse(s.clearsAt) - Date.now()) / 1000));
    lines.push(`This screen clears itself in ${seconds} s (at ${LONDON_TIME.format(new Date(s.clearsAt))}).`);
  }
  return `${lines.join('\n')}\n`;
}

export interface TerminalDisplay {
  readonly name: 'terminal';
  show(state: ScreenState): void;
  close(): Promise<void>;
}

export function terminalDisplay(
  out: NodeJS.WritableStream & { isTTY?: boolean },
  likenessKeys: boolean,
  web = true,
  bridgeKeys = false,
): TerminalDisplay {
  const colour = out.isTTY === true;
  let last = '';
  // The terminal can go away under a running kiosk (its window closed, an ssh session dropped: EIO / EPIPE). The
  // desk keeps working on its other screens; this one stops writing instead of crashing the process.
  let gone = false;
  out.on('error', () => {
    gone = true;
  });
  return {
    name: 'terminal',
    show(state) {
      if (gone) return;
      const text = renderTerminal(state, { colour, likenessKeys, web, bridgeKeys });
      // An alert that comes or goes re-sends the same screen: print it only when what it says has changed.
      if (text === last) return;
      last = text;
      out.write(text);
    },
    async close() {},
  };
}
