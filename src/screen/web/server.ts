/**
 * The web display: HTTP + Server-Sent Events on 127.0.0.1 only.
 *
 *   GET  /                  the status page (static, no personal data)
 *   GET  /app.js, /app.css  its script and style
 *   GET  /health            {"ok","version","problems","scanners","counters","central"?} (no personal data); 503 when not ok
 *   GET  /events?token=T    SSE: one `data:` JSON ScreenState per change; a new client gets the current state
 *   POST /likeness?token=T  {"checkId","answer":"yes"|"no"|"not-asked"}
 *   POST /details?token=T   {"checkId","checkerName"?,"reference"?}: only the fields the desk asks for (desk.askFor)
 *
 * Every request's Host must be 127.0.0.1:PORT or localhost:PORT (DNS-rebinding defence) → else 421.
 * /events, /likeness and /details need the per-start token (query `token` or `Authorization: Bearer`) → else 401.
 * The server keeps only the current state: once the screen is cleared, nothing older can be replayed.
 */
import { timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DETAIL_FIELDS, type DetailField, type LikenessAnswer, type ScreenState } from '../state.js';
import { safeDeep } from '../../text/safe.js';
import { PAGE_CSS, PAGE_HTML, PAGE_JS } from './page.js';
import { ProofdeskError } from '../../errors.js';

export interface ScannerHealth {
  name: string;
  transport: string;
  state: string;
}

/** What GET /health reports (no personal data): 200 when `ok`, else 503 with the problems in words. */
export interface HealthReport {
  ok: boolean;
  problems: string[];
  scanners: ScannerHealth[];
  /** Scans that were not checks and other counts (src/kiosk/desk.ts DeskCounters). */
  counters: Readonly<Record<string, number>> | null;
  /** With records.central: shipping backlog and fleet trust (src/central/desk.ts). Counts and codes only. */
  central?: object;
}

export interface WebDisplayOptions {
  /** 0 = any free port. */
  port: number;
  token: string;
  version: string;
  initial: ScreenState;
  health(): HealthReport;
  /** The checker answered on the page; returns false when that check is not the one asking. */
  onLikeness(checkId: string, answer: LikenessAnswer): boolean;
  /** The details the desk asks for (desk.askFor); a field not asked for is refused (400). Default: none. */
  askFor?: readonly DetailField[];
  /** The checker gave details for a check; false when that check cannot take them (not recent, no personal copy). */
  onDetails?(checkId: string, details: Partial<Record<DetailField, string>>): boolean;
  /** Most event-stream clients at once (each holds a socket). */
  maxClients?: number;
  /** Most TCP connections at once, event streams included; more are closed as they arrive. */
  maxConnections?: number;
  /** How long a client may keep a connection without finishing its part (defaults: WEB_TIMEOUTS; tests shorten them). */
  timeouts?: Partial<WebTimeouts>;
}

/** Milliseconds. An event stream is exempt from `idleMs` and `requestMs`: its liveness is the heartbeat. */
interface WebTimeouts {
  /** A connection that sends nothing (before a request, or stalled in one) is closed after this long. */
  idleMs: number;
  /** All request headers must arrive within this (a slow-loris sending a header a byte at a time). */
  headersMs: number;
  /** The whole request, body included, must arrive within this (at least headersMs: Node needs headers ≤ request). */
  requestMs: number;
  /** An idle kept-alive connection between two requests is closed after this. */
  keepAliveMs: number;
  /** A comment line on every event stream this often, so a dead page is noticed and proxies keep it open. */
  heartbeatMs: number;
}

const WEB_TIMEOUTS: WebTimeouts = { idleMs: 30_000, headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000, heartbeatMs: 15_000 };

export interface WebDisplay {
  readonly name: 'web';
  readonly port: number;
  readonly url: string;
  readonly clientCount: number;
  show(state: ScreenState): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024;
/** Two fields of MAX_DETAIL_CHARS characters, each up to 4 bytes in UTF-8, and the check id. */
const MAX_DETAILS_BODY_BYTES = 4096;
/** A name or a tenancy / employee / case number; a scan typed into the field by mistake is far longer. */
const MAX_DETAIL_CHARS = 100;
/** C0 and C1 controls, bidi overrides and isolates, line and paragraph separators (as src/text/safe.ts neutralises). */
const DETAIL_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]|\p{Cs}/u;
/** A client that has not read this much of what we sent is stuck; it is dropped rather than buffered for. */
const MAX_CLIENT_BACKLOG = 4 * 1024 * 1024;
const LIKENESS_ANSWERS: readonly LikenessAnswer[] = ['yes', 'no', 'not-asked'];

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
} as const;

export class WebDisplayError extends ProofdeskError {
  constructor(
    override readonly code: 'PORT_IN_USE' | 'LISTEN_FAILED',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

function sameToken(given: string | null, token: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function tokenOf(req: http.IncomingMessage, url: URL): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7);
  return url.searchParams.get('token');
}

export async function startWebDisplay(opts: WebDisplayOptions): Promise<WebDisplay> {
  const maxClients = opts.maxClients ?? 32;
  const t: WebTimeouts = { ...WEB_TIMEOUTS, ...opts.timeouts };
  const clients = new Set<http.ServerResponse>();
  // Every display shows the same sanitised text (src/text/safe.ts): what the page shows, the panel and terminal do.
  let current = JSON.stringify(safeDeep(opts.initial));
  let port = opts.port;
  let allowedHosts = new Set<string>();
  let closing = false;

  function send(res: http.ServerResponse, body: number | string, type = 'text/plain; charset=utf-8'): void {
    const text = typeof body === 'number' ? `${http.STATUS_CODES[body] ?? 'error'}\n` : body;
    res.writeHead(typeof body === 'number' ? body : 200, {
      ...SECURITY_HEADERS,
      'content-type': type,
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  function health(res: http.ServerResponse): void {
    const report = opts.health();
    const body = JSON.stringify({
      ok: report.ok,
      version: opts.version,
      problems: report.problems,
      scanners: report.scanners,
      counters: report.counters,
      ...(report.central && { central: report.central }),
    });
    res.writeHead(report.ok ? 200 : 503, {
      ...SECURITY_HEADERS,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  }

  function writeToClient(res: http.ServerResponse, text: string): void {
    if (res.writableLength > MAX_CLIENT_BACKLOG) {
      clients.delete(res);
      res.destroy();
      return;
    }
    res.write(text);
  }

  function writeEvent(res: http.ServerResponse, json: string): void {
    writeToClient(res, `data: ${json}\n\n`);
  }

  function openEvents(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (closing) return send(res, 503);
    if (clients.size >= maxClients) return send(res, 503);
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
    res.socket?.setNoDelay(true);
    res.socket?.setTimeout(0); // a stream is quiet between screens; the heartbeat finds a page that went away
    res.write('retry: 2000\n\n');
    clients.add(res);
    writeEvent(res, current);
    const drop = () => clients.delete(res);
    req.on('close', drop);
    res.on('error', drop);
  }

  /** A small JSON body, or an answer already sent (415 / 413 / 400). */
  function readJson(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    maxBytes: number,
    then: (body: Record<string, unknown>) => void,
  ): void {
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return send(res, 415);
    let size = 0;
    const chunks: Buffer[] = [];
    let aborted = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        aborted = true;
        send(res, 413);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (aborted) return;
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(res, 400);
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return send(res, 400);
      then(body as Record<string, unknown>);
    });
  }

  function readLikeness(req: http.IncomingMessage, res: http.ServerResponse): void {
    readJson(req, res, MAX_BODY_BYTES, ({ checkId, answer }) => {
      if (typeof checkId !== 'string' || typeof answer !== 'string' || !(LIKENESS_ANSWERS as readonly string[]).includes(answer)) {
        return send(res, 400);
      }
      if (!opts.onLikeness(checkId, answer as LikenessAnswer)) return send(res, 409);
      res.writeHead(204, SECURITY_HEADERS);
      res.end();
    });
  }

  /** Each field is a line of plain text (trimmed; empty = not given); anything else is refused whole (400). */
  function readDetails(req: http.IncomingMessage, res: http.ServerResponse): void {
    const askFor = opts.askFor ?? [];
    readJson(req, res, MAX_DETAILS_BODY_BYTES, (body) => {
      const { checkId, ...fields } = body;
      if (typeof checkId !== 'string') return send(res, 400);
      const details: Partial<Record<DetailField, string>> = {};
      for (const [name, value] of Object.entries(fields)) {
        const field = DETAIL_FIELDS.find((f) => f === name);
        if (field === undefined || !askFor.includes(field) || typeof value !== 'string') return send(res, 400);
        const text = value.trim();
        if ([...text].length > MAX_DETAIL_CHARS || DETAIL_UNSAFE.test(text)) return send(res, 400);
        if (text !== '') details[field] = text;
      }
      if (Object.keys(details).length === 0) return send(res, 400);
      if (!opts.onDetails?.(checkId, details)) return send(res, 409);
      res.writeHead(204, SECURITY_HEADERS);
      res.end();
    });
  }

  // Node checks headersMs / requestMs only every connectionsCheckingInterval (default 30 s): check often enough
  // that a slow client is closed near its deadline, not up to 30 s after it.
  const checkEvery = Math.max(10, Math.min(1000, Math.floor(Math.min(t.headersMs, t.requestMs) / 4)));
  const server = http.createServer({ connectionsCheckingInterval: checkEvery }, (req, res) => {
    if (!allowedHosts.has(req.headers.host ?? '')) return send(res, 421);
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts.has(origin.replace(/^http:\/\//, ''))) return send(res, 403);
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'GET /':
        return send(res, PAGE_HTML, 'text/html; charset=utf-8');
      case 'GET /app.js':
        return send(res, PAGE_JS, 'text/javascript; charset=utf-8');
      case 'GET /app.css':
        return send(res, PAGE_CSS, 'text/css; charset=utf-8');
      case 'GET /health':
        return health(res);
      case 'GET /events':
        if (!sameToken(tokenOf(req, url), opts.token)) return send(res, 401);
        return openEvents(req, res);
      case 'POST /likeness':
        if (!sameToken(tokenOf(req, url), opts.token)) return send(res, 401);
        return readLikeness(req, res);
      case 'POST /details':
        if (!sameToken(tokenOf(req, url), opts.token)) return send(res, 401);
        return readDetails(req, res);
      default:
        return send(res, ['/', '/app.js', '/app.css', '/health', '/events', '/likeness', '/details'].includes(url.pathname) ? 405 : 404);
    }
  });
  server.headersTimeout = t.headersMs;
  // Counts until the request is fully received, so an event stream (a bodiless GET) is not cut by it.
  server.requestTimeout = Math.max(t.requestMs, t.headersMs);
  server.keepAliveTimeout = t.keepAliveMs;
  // Socket inactivity: without it a connection that never sends a byte stays open for ever (the headers timeout
  // starts only with a request's first byte). With no 'timeout' listener Node destroys the socket.
  server.timeout = t.idleMs;
  server.maxConnections = opts.maxConnections ?? maxClients + 32;
  server.maxHeadersCount = 50;

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new WebDisplayError('PORT_IN_USE', `port ${opts.port} on 127.0.0.1 is already in use (choose another with --port)`)
          : new WebDisplayError('LISTEN_FAILED', `cannot listen on 127.0.0.1:${opts.port}: ${err.message}`),
      );
    });
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const heartbeat = setInterval(() => {
    for (const res of clients) writeToClient(res, ': keep-alive\n\n');
  }, t.heartbeatMs);
  heartbeat.unref();

  return {
    name: 'web',
    port,
    url: `http://127.0.0.1:${port}/?token=${opts.token}`,
    get clientCount() {
      return clients.size;
    },
    show(state) {
      current = JSON.stringify(safeDeep(state));
      for (const res of clients) writeEvent(res, current);
    },
    async close() {
      closing = true;
      clearInterval(heartbeat);
      for (const res of clients) res.end();
      clients.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
