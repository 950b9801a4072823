/**
 * `proofdesk inspect`: decode a code WITHOUT checking its signature, for support staff. Everything it prints is
 * marked UNVERIFIED. Exit 0 decoded, 1 not decoded (with the reason), 2 usage.
 */
import type { Command } from 'commander';
import { inspect, type Decoded } from '../verify/inspect.js';
import { decodedToJson } from '../verify/json.js';
import { REASON_TEXT } from '../verify/messages.js';
import { decodedRows, rows } from './describe.js';
import { safeDeep, safeJson } from '../text/safe.js';
import { MAX_NUMERIC_DATE } from '../trust/limits.js';
import { readCodeText } from './input.js';

export const UNVERIFIED_BANNER = 'UNVERIFIED: the signature was NOT checked. Do not use this to decide anything; use `proofdesk verify`.';

export function register(program: Command): void {
  program
    .command('inspect')
    .description('decode a code without checking it (UNVERIFIED), for support staff')
    .argument('[text]', 'the code text, a file holding it, or - to read standard input')
    .option('--json', 'print one JSON document on stdout ("unverified": true)')
    .option('--image <file>', 'read the QR code from a PNG or JPEG picture')
    .action(run);
}

async function run(text: string | undefined, opts: { json?: boolean; image?: string }): Promise<void> {
  const code = await readCodeText(text, opts);
  const decoded = inspect(code);
  if (opts.json) {
    process.stderr.write(`${UNVERIFIED_BANNER}\n`);
    process.stdout.write(`${safeJson(decodedToJson(decoded), 2)}\n`);
  } else {
    process.stdout.write(humanDecoded(decoded, code.length));
  }
  process.exitCode = decoded.decoded ? 0 : 1;
}

export function humanDecoded(decoded: Decoded, chars: number): string {
  const d = safeDeep(decoded); // unsigned: every field is whatever the code's maker wrote
  const head = `${UNVERIFIED_BANNER}\n`;
  const entries: Array<readonly [string, string | undefined]> = [];
  entries.push(['Decoded', d.decoded ? 'yes' : `no (${d.reason}: ${d.reason ? REASON_TEXT[d.reason].message : ''})`]);
  entries.push(['Code', `${chars} characters`]);
  entries.push(['Signature', d.signed ? `present, NOT checked${d.alg ? ` (${d.alg})` : ''}` : 'none (unsigned)']);
  entries.push(['Key id (kid)', d.kid ?? undefined]);
  if (d.cwt) {
    // Unsigned: a time may be any number, even one no date can hold (Date throws past ±8.64e15 ms).
    const date = (s: number | undefined) =>
      s === undefined ? undefined : Math.abs(s) <= MAX_NUMERIC_DATE ? new Date(s * 1000).toISOString() : `${s} (not a date)`;
    entries.push(['Issuer', d.cwt.iss]);
    entries.push(['Issued at', date(d.cwt.iat)]);
    entries.push(['Code expires', date(d.cwt.exp)]);
  }
  entries.push(...decodedRows(d.identity, d.status).map(([k, v]) => [`${k} (unverified)`, v] as const));
  if (d.statusList) entries.push(['Status list', `${d.statusList.uri} #${d.statusList.idx}`]);
  return head + rows(entries);
}
