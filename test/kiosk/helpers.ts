/** Kiosk test fixtures: a real kiosk in-process on port 0, a real SSE client, raw HTTP requests, DEMO codes. */
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { pino } from 'pino';
import { encodeCredential } from '../../src/credential/encode.js';
import type { ClaimsToEncode } from '../../src/credential/cwt.js';
import type { KioskConfig } from '../../src/kiosk/config.js';
import { startKiosk, type Kiosk } from '../../src/kiosk/kiosk.js';
import type { ScreenState } from '../../src/screen/state.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const EXAMPLES = path.join(ROOT, 'examples');

export function demoCode(name: string): string {
  return readFileSync(path.join(EXAMPLES, `${name}.txt`), 'utf8').trim();
}

/** A code signed with the published DEMO private key (so the built-in DEMO kiosk trusts it). */
export function demoSigned(claims: ClaimsToEncode): string {
  const jwk = JSON.parse(readFileSync(path.join(EXAMPLES, 'demo-issuer.private.jwk'), 'utf8')) as { kid: string };
  return encodeCredential(claims, { key: createPrivateKey({ key: jwk, format: 'jwk' }), alg: 'EdDSA', kid: jwk.kid });
}

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), `proofdesk-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestKiosk {
  kiosk: Kiosk;
  input: PassThrough;
  dir: string;
  token: string;
  logs: string[];
  scan(text: string): void;
  stop(): Promise<void>;
}

/** `records`: a record folder of the test's own (kept at stop), e.g. to start again on the same desk. */
export async function startTestKiosk(
  opts: {
    config?: KioskConfig | null;
    purpose?: 'work' | 'rent' | 'housing' | 'any';
    keysFile?: string;
    stdin?: boolean;
    records?: string;
    newToken?: boolean;
  } = {},
): Promise<TestKiosk> {
  const tmp = tempDir('kiosk');
  const input = new PassThrough();
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const kiosk = await startKiosk({
    config: opts.config ?? null,
    port: 0,
    stdin: opts.stdin ?? true,
    input,
    output: new PassThrough(),
    records: opts.records ?? path.join(tmp.dir, 'records'),
    discover: false,
    ...(opts.newToken ? { newToken: true } : {}),
    log: pino({ level: 'debug' }, sink),
    ...(opts.purpose ? { purpose: opts.purpose } : {}),
    ...(opts.keysFile ? { keysFile: opts.keysFile } : {}),
  });
  return {
    kiosk,
    input,
    dir: tmp.dir,
    token: new URL(kiosk.url).searchParams.get('token') ?? '',
    logs,
    scan: (text) => input.write(`${text}\n`),
    async stop() {
      await kiosk.close();
      tmp.remove();
    },
  };
}

export interface HttpReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function request(
  port: number,
  pathName: string,
  o: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: pathName, method: o.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, ...o.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

/** A Server-Sent Events client over a real socket: collects every `data:` event as a ScreenState. */
export class SseClient {
  readonly states: ScreenState[] = [];
  private req: http.ClientRequest | null = null;
  private waiters: Array<() => void> = [];
  status = 0;

  static open(port: number, token: string, host = `127.0.0.1:${port}`): Promise<SseClient> {
    const c = new SseClient();
    return new Promise((resolve, reject) => {
      c.req = http.get(
        { host: '127.0.0.1', port, path: `/events?token=${encodeURIComponent(token)}`, headers: { host, accept: 'text/event-stream' } },
        (res) => {
          c.status = res.statusCode ?? 0;
          let buf = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buf += chunk;
            let end: number;
            while ((end = buf.indexOf('\n\n')) >= 0) {
              const block = buf.slice(0, end);
              buf = buf.slice(end + 2);
              for (const line of block.split('\n')) if (line.startsWith('data: ')) c.states.push(JSON.parse(line.slice(6)) as ScreenState);
              for (const w of c.waiters.splice(0)) w();
            }
          });
          res.on('error', () => {});
          resolve(c);
        },
      );
      c.req.on('error', reject);
    });
  }

  /** Resolves with the first state (from index `from`) that matches. */
  async waitFor(match: (s: ScreenState) => boolean, from = 0, timeoutMs = 15_000): Promise<ScreenState> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.states.slice(from).find(match);
      if (hit) return hit;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`no matching screen state within ${timeoutMs} ms; got ${this.states.map((s) => s.headline).join(', ')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.req?.destroy();
  }
}

/** The record lines a test kiosk wrote (its record folder is `<dir>/records`). */
export function records(dir: string): Array<Record<string, unknown>> {
  return readFileSync(path.join(dir, 'records', 'checks.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/**
 * `proofdesk run`'s ready line when stdout is not a terminal (a service, a test's pipe): the page's address and the
 * owner-only file that holds its link; the token is read from that file, never from the line. Null: not ready yet.
 */
export function parseReady(stdout: string): { port: number; address: string; linkFile: string; token: string; url: string } | null {
  const m = /^proofdesk ready: (http:\/\/127\.0\.0\.1:(\d+)\/) — the page's link \(with its token\) is in (.+)\n/m.exec(stdout);
  if (!m) return null;
  const token = /[?&]token=([A-Za-z0-9_-]{32})/.exec(readFileSync(m[3]!, 'utf8'))?.[1];
  if (!token) throw new Error(`no token in ${m[3]}`);
  return { port: Number(m[2]), address: m[1]!, linkFile: m[3]!, token, url: `${m[1]}?token=${token}` };
}
