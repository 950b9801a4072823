/**
 * The page's HTTP server closes connections that hold a socket without finishing a request — one that sends
 * nothing, a slow-loris that sends half a header, a body that never completes, more connections than the bound —
 * while the page's own long-lived event stream stays open. Raw sockets on loopback; the test shortens the
 * timeouts through the server's options and waits on each socket's 'close' event, never on a fixed sleep.
 */
import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startWebDisplay, type WebDisplay, type WebDisplayOptions } from '../../src/screen/web/server.js';
import { idleScreen } from '../../src/screen/state.js';
import { SseClient } from '../kiosk/helpers.js';

const TOKEN = 't'.repeat(32);
const DESK = { purpose: 'work', demo: false, worth: 'w', id: 'desk-t' } as const;

let web: WebDisplay | null = null;
const sockets: net.Socket[] = [];
const streams: SseClient[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const c of streams.splice(0)) c.close();
  await web?.close();
  web = null;
});

async function start(extra: Partial<WebDisplayOptions>): Promise<WebDisplay> {
  web = await startWebDisplay({
    port: 0,
    token: TOKEN,
    version: 'test',
    initial: idleScreen(DESK),
    health: () => ({ ok: true, problems: [], scanners: [], counters: null }),
    onLikeness: () => false,
    ...extra,
  });
  return web;
}

/** A raw connection; `closed` resolves with what the server sent before it closed the connection. */
async function connect(port: number, send = ''): Promise<{ socket: net.Socket; closed: Promise<string> }> {
  const socket = net.connect(port, '127.0.0.1');
  sockets.push(socket);
  let got = '';
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => (got += d));
  socket.on('error', () => {});
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(got)));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  if (send) socket.write(send);
  return { socket, closed };
}

const LONG = 600_000; // a timeout the test never reaches: shows another one did the closing

describe('web server: connections that do not finish a request are closed', () => {
  it('a connection that opens and sends nothing is closed (idle timeout)', async () => {
    const w = await start({ timeouts: { idleMs: 200, headersMs: LONG, requestMs: LONG } });
    const { closed } = await connect(w.port);
    expect(await closed).toBe('');
  });

  it('half a request header (slow-loris) gets 408 and is closed (headers timeout), though bytes keep arriving', async () => {
    const w = await start({ timeouts: { idleMs: LONG, headersMs: 300, requestMs: LONG } });
    const { socket, closed } = await connect(w.port, `GET /health HTTP/1.1\r\nHost: 127.0.0.1:${w.port}\r\n`);
    // A header byte now and then keeps the socket from ever being idle; only the headers deadline can close it.
    const drip = setInterval(() => socket.writable && socket.write('X'), 20);
    try {
      expect(await closed).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      clearInterval(drip);
    }
  });

  it('a request body that never completes is closed (request timeout)', async () => {
    // Node cuts an unfinished body only once both deadlines passed, and wants headersMs <= requestMs.
    const w = await start({ timeouts: { idleMs: LONG, headersMs: 100, requestMs: 300 } });
    const { socket, closed } = await connect(
      w.port,
      `POST /likeness?token=${TOKEN} HTTP/1.1\r\nHost: 127.0.0.1:${w.port}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"che`,
    );
    const drip = setInterval(() => socket.writable && socket.write(' '), 20);
    try {
      expect(await closed).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      clearInterval(drip);
    }
  });

  it('a kept-alive connection idle after its answer is closed (keep-alive timeout)', async () => {
    const w = await start({ timeouts: { idleMs: LONG, headersMs: LONG, requestMs: LONG, keepAliveMs: 200 } });
    const { closed } = await connect(w.port, `GET /health HTTP/1.1\r\nHost: 127.0.0.1:${w.port}\r\n\r\n`);
    const got = await closed;
    expect(got).toMatch(/^HTTP\/1\.1 200 /);
    expect(got).toMatch(/keep-alive: timeout=/i);
  });

  it('the event stream outlives every timeout, still gets each new screen and its heartbeat', async () => {
    const w = await start({ timeouts: { idleMs: 150, headersMs: 150, requestMs: 150, keepAliveMs: 150, heartbeatMs: LONG } });
    const sse = await SseClient.open(w.port, TOKEN);
    streams.push(sse);
    await sse.waitFor((s) => s.kind === 'idle');
    // Two idle sockets opened one after the other, each closed by the server: the stream, silent since its first
    // event (the heartbeat is off here), has been quiet for longer than every timeout by then.
    for (let i = 0; i < 2; i++) await (await connect(w.port)).closed;
    expect(w.clientCount).toBe(1);
    w.show({ ...idleScreen(DESK), headline: 'still here' });
    expect((await sse.waitFor((s) => s.headline === 'still here')).kind).toBe('idle');
  });

  it('the heartbeat reaches an open stream', async () => {
    const w = await start({ timeouts: { heartbeatMs: 50 } });
    const { closed, socket } = await connect(w.port, `GET /events?token=${TOKEN} HTTP/1.1\r\nHost: 127.0.0.1:${w.port}\r\n\r\n`);
    const beats = await new Promise<number>((resolve) => {
      let text = '';
      socket.on('data', (d: string) => {
        text += d;
        const n = text.split(': keep-alive\n\n').length - 1;
        if (n >= 3) resolve(n);
      });
    });
    expect(beats).toBeGreaterThanOrEqual(3);
    socket.destroy();
    await closed;
  });

  it('more connections than the bound: the extra one is closed at once, the others stay', async () => {
    const w = await start({ maxConnections: 3, timeouts: { idleMs: LONG, headersMs: LONG, requestMs: LONG } });
    const held = [await connect(w.port), await connect(w.port), await connect(w.port)];
    const extra = await connect(w.port);
    expect(await extra.closed).toBe('');
    // The held ones still answer.
    held[0]!.socket.write(`GET /health HTTP/1.1\r\nHost: 127.0.0.1:${w.port}\r\nconnection: close\r\n\r\n`);
    expect(await held[0]!.closed).toMatch(/^HTTP\/1\.1 200 /);
    expect(held[1]!.socket.destroyed).toBe(false);
  });

  it('more event streams than maxClients: 503 for the extra one', async () => {
    const w = await start({ maxClients: 2 });
    for (let i = 0; i < 2; i++) {
      const c = await SseClient.open(w.port, TOKEN);
      streams.push(c);
      await c.waitFor((s) => s.kind === 'idle');
    }
    const extra = await SseClient.open(w.port, TOKEN);
    streams.push(extra);
    expect(extra.status).toBe(503);
    expect(w.clientCount).toBe(2);
  });
});
