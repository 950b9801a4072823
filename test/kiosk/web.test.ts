/** The web display's local API against a real kiosk (in-process, real sockets): tokens, Host header, SSE, likeness, no replay. */
import { chmodSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoCode, records, request, SseClient, startTestKiosk, tempDir, type TestKiosk } from './helpers.js';

let k: TestKiosk | null = null;
const clients: SseClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await k?.stop();
  k = null;
});

async function open(token?: string, host?: string): Promise<SseClient> {
  const c = await SseClient.open(k!.kiosk.port, token ?? k!.token, host);
  clients.push(c);
  return c;
}

describe('web display API', () => {
  it('the page token lasts: kept owner-only in the record folder, the same at the next start, new with newToken', async () => {
    const desk = tempDir('desk');
    try {
      const records = path.join(desk.dir, 'records');
      const linkFile = path.join(records, 'status-page-link.html');
      k = await startTestKiosk({ records });
      const first = k.token;
      expect(k.kiosk.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
      expect(k.kiosk.pageLink).toBe(linkFile);
      expect(statSync(linkFile).mode & 0o777).toBe(0o600);
      expect(readFileSync(linkFile, 'utf8')).toContain(`href="${k.kiosk.url}"`);
      expect(k.logs.join('')).toMatch(/"event":"page-token","origin":"new"/);
      expect(k.logs.join('')).not.toContain(first);
      await k.stop();

      // Another start on the same desk (record folder): the same token, so an open page reconnects.
      k = await startTestKiosk({ records });
      expect(k.token).toBe(first);
      expect(readFileSync(linkFile, 'utf8')).toContain(`127.0.0.1:${k.kiosk.port}/?token=${first}`);
      expect((await open(first)).status).toBe(200);
      await k.stop();

      // newToken (proofdesk run --new-token): a new one, and the old link is refused.
      k = await startTestKiosk({ records, newToken: true });
      expect(k.token).not.toBe(first);
      expect((await request(k.kiosk.port, `/events?token=${first}`)).status).toBe(401);
      expect(readFileSync(linkFile, 'utf8')).not.toContain(first);
      const second = k.token;
      await k.stop();

      // A link file others could read is not trusted: a new token, the file owner-only again, and a warning.
      chmodSync(linkFile, 0o644);
      k = await startTestKiosk({ records });
      expect(k.token).not.toBe(second);
      expect(statSync(linkFile).mode & 0o777).toBe(0o600);
      expect(k.logs.join('')).toMatch(/"event":"page-token","origin":"replaced".*other users could read it/);
      await k.stop();

      // Another desk (another record folder) has a token of its own.
      k = await startTestKiosk();
      expect(k.token).not.toBe(second);
    } finally {
      desk.remove();
    }
  });

  it('refuses /events and /likeness without the right token (401)', async () => {
    k = await startTestKiosk();
    const port = k.kiosk.port;
    expect((await request(port, '/events')).status).toBe(401);
    expect((await request(port, '/events?token=wrong')).status).toBe(401);
    expect((await request(port, `/events?token=${k.token}x`)).status).toBe(401);
    const post = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ checkId: 'x', answer: 'yes' }) };
    expect((await request(port, '/likeness', post)).status).toBe(401);
    expect((await request(port, '/likeness?token=nope', post)).status).toBe(401);
    const ok = await open();
    expect(ok.status).toBe(200);
  });

  it('refuses any Host other than 127.0.0.1:PORT or localhost:PORT (DNS rebinding)', async () => {
    k = await startTestKiosk();
    const port = k.kiosk.port;
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1', `[::1]:${port}`]) {
      expect((await request(port, '/', { headers: { host } })).status, host).toBe(421);
      expect((await request(port, '/health', { headers: { host } })).status, host).toBe(421);
      expect((await request(port, `/events?token=${k.token}`, { headers: { host } })).status, host).toBe(421);
    }
    expect((await request(port, '/health', { headers: { host: `localhost:${port}` } })).status).toBe(200);
    // A page on another origin cannot post a likeness answer even with the token.
    expect(
      (
        await request(port, `/likeness?token=${k.token}`, {
          method: 'POST',
          headers: { origin: 'http://evil.example', 'content-type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).toBe(403);
  });

  it('--no-stdin: no stdin scanner in /health, and text on stdin is not read', async () => {
    k = await startTestKiosk({ stdin: false });
    const sse = await open();
    // No scanner at all: the desk says so, and /health is not ok (503) with the reason.
    const health = await request(k.kiosk.port, '/health');
    expect(health.status).toBe(503);
    expect(JSON.parse(health.body)).toMatchObject({ ok: false, scanners: [], problems: [expect.stringMatching(/No scanner/)] });
    expect(sse.states.at(-1)).toMatchObject({
      kind: 'idle',
      headline: 'Scanner not connected',
      alerts: [expect.objectContaining({ code: 'NO_SCANNER' })],
    });
    k.scan(demoCode('demo-valid'));
    await new Promise((r) => setTimeout(r, 300));
    expect(sse.states.map((s) => s.kind).every((kind) => kind === 'idle')).toBe(true);
  });

  it('/health is JSON with ok, version and scanners, and neither it nor the page holds personal data', async () => {
    k = await startTestKiosk();
    const sse = await open();
    k.scan(demoCode('demo-valid'));
    const shown = await sse.waitFor((s) => s.kind === 'result');
    expect(shown.person?.name).toBe('Jordan Specimen');
    const health = await request(k.kiosk.port, '/health');
    expect(health.headers['content-type']).toMatch(/application\/json/);
    const body = JSON.parse(health.body) as {
      ok: boolean;
      version: string;
      scanners: Array<{ name: string; transport: string; state: string }>;
    };
    expect(body.ok).toBe(true);
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(body.scanners).toEqual([{ name: 'stdin', transport: 'stdin', state: 'connected' }]);
    for (const p of ['/', '/app.js', '/app.css', '/health']) {
      const r = await request(k.kiosk.port, p);
      expect(r.status).toBe(200);
      expect(r.body).not.toContain('Specimen');
      expect(r.body).not.toContain('19900131');
    }
    const page = await request(k.kiosk.port, '/');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('streams each screen state as JSON with verdict, reason, fields, time and check id', async () => {
    k = await startTestKiosk({ purpose: 'work' });
    const sse = await open();
    const idle = await sse.waitFor((s) => s.kind === 'idle');
    expect(idle).toMatchObject({ demo: true, verdict: null, person: null });
    k.scan(demoCode('demo-pending'));
    const pending = await sse.waitFor((s) => s.kind === 'result');
    expect(pending).toMatchObject({
      verdict: 'CHECK MANUALLY',
      reason: 'PENDING_APPLICATION',
      icon: 'warning',
      colour: 'amber',
      demo: true,
    });
    expect(pending.checkId).toMatch(/^\d{8}-\d{6}-[0-9a-f]{8}$/);
    expect(Date.parse(pending.checkedAt!)).toBeGreaterThan(Date.now() - 60_000);
    k.scan(demoCode('demo-tampered'));
    const tampered = await sse.waitFor((s) => s.reason === 'SIGNATURE_INVALID');
    expect(tampered).toMatchObject({ verdict: 'NOT VALID', icon: 'cross', person: null });
    k.scan('https://example.com/not-a-status-code');
    const notOurs = await sse.waitFor((s) => s.kind === 'not-a-code');
    expect(notOurs).toMatchObject({ headline: 'NOT A STATUS CODE', icon: 'not-a-code', colour: 'neutral', checkId: null, verdict: null });
    k.scan(demoCode('demo-valid').slice(0, 600)); // half a code: one of ours, cut off
    const half = await sse.waitFor((s) => s.kind === 'scan-again');
    expect(half).toMatchObject({ headline: 'SCAN AGAIN', icon: 'rescan', colour: 'blue', checkId: null });
    // Every check made a record, in order; the web link and the half code are not checks and made none.
    const checks = records(k.dir).filter((r) => r.type === 'check');
    expect(checks.map((r) => r.reason)).toEqual(['PENDING_APPLICATION', 'SIGNATURE_INVALID']);
    expect(checks[0]).toMatchObject({
      checkId: pending.checkId,
      verdict: 'CHECK MANUALLY',
      outcome: 'CHECK_MANUALLY',
      purpose: 'work',
      deskId: 'demo-desk',
      demo: true,
    });
    // …and /health counts them.
    expect(JSON.parse((await request(k.kiosk.port, '/health')).body).counters).toMatchObject({
      checks: 2,
      notAStatusCode: 1,
      scanAgain: 1,
    });
  });

  it('a likeness answer POSTed with the token updates the screen and is appended to the record', async () => {
    k = await startTestKiosk();
    const sse = await open();
    k.scan(demoCode('demo-valid'));
    const shown = await sse.waitFor((s) => s.kind === 'result');
    expect(shown.likeness).toBe('ask');
    const post = (body: unknown, type = 'application/json') =>
      request(k!.kiosk.port, `/likeness?token=${k!.token}`, {
        method: 'POST',
        headers: { 'content-type': type },
        body: JSON.stringify(body),
      });
    expect((await post({ checkId: shown.checkId, answer: 'maybe' })).status).toBe(400);
    expect((await post({ checkId: shown.checkId, answer: 'yes' }, 'text/plain')).status).toBe(415);
    expect((await post({ checkId: 'other-check', answer: 'yes' })).status).toBe(409);
    expect((await post({ checkId: shown.checkId, answer: 'yes' })).status).toBe(204);
    const answered = await sse.waitFor((s) => s.likeness === 'yes');
    expect(answered.checkId).toBe(shown.checkId);
    expect((await post({ checkId: shown.checkId, answer: 'no' })).status).toBe(409); // answered once
    const lines = records(k.dir);
    expect(lines.filter((r) => r.type === 'likeness')).toEqual([expect.objectContaining({ checkId: shown.checkId, likeness: 'yes' })]);
  });

  it('after auto-clear a new connection gets the idle screen, never the last person', async () => {
    k = await startTestKiosk({
      config: {
        desk: { id: 'desk-t', purpose: 'any', askFor: [] },
        trust: { keys: path.join(import.meta.dirname, '../../examples/demo-issuer.jwks'), skewSeconds: 300, maxStatusAgeDays: 7 },
        scanners: { stdin: true, discover: false, devices: [], duplicateWindowMs: 1500 },
        bridges: [],
        displays: { web: { enabled: true, port: 7169 }, terminal: 'off' },
        screen: { clearAfterSeconds: 3 },
        records: { retentionDays: 30 },
      },
    });
    const sse = await open();
    k.scan(demoCode('demo-valid'));
    const shown = await sse.waitFor((s) => s.kind === 'result');
    expect(shown.demo).toBe(true); // a config that names the DEMO keys: the desk says DEMO all the same
    const late = await open();
    expect((await late.waitFor(() => true)).checkId).toBe(shown.checkId); // before clear: the current state
    const cleared = await sse.waitFor((s) => s.kind === 'idle', sse.states.indexOf(shown) + 1);
    expect(cleared.person).toBeNull();
    const fresh = await open();
    const first = await fresh.waitFor(() => true);
    expect(first.kind).toBe('idle');
    expect(JSON.stringify(fresh.states)).not.toContain('Specimen');
    // The unanswered likeness question went into the record as "not asked".
    expect(records(k.dir).find((r) => r.type === 'likeness')).toMatchObject({ checkId: shown.checkId, likeness: 'not-asked' });
  });

  it('shutting down blanks every connected screen before the connection closes (and close() may be called twice)', async () => {
    k = await startTestKiosk();
    const sse = await open();
    k.scan(demoCode('demo-valid'));
    const shown = await sse.waitFor((s) => s.kind === 'result');
    expect(shown.person?.name).toBe('Jordan Specimen');
    await k.kiosk.close();
    const last = await sse.waitFor((s) => s.kind === 'idle', sse.states.indexOf(shown) + 1);
    expect(last).toMatchObject({ person: null, checkId: null });
    expect(sse.states.at(-1)?.kind).toBe('idle');
    await k.kiosk.close();
  });

  it('the same code again within the duplicate window is one check; an empty line is no check', async () => {
    k = await startTestKiosk();
    const sse = await open();
    k.scan(demoCode('demo-valid'));
    const shown = await sse.waitFor((s) => s.kind === 'result');
    k.scan(demoCode('demo-valid'));
    k.scan('');
    k.scan(demoCode('demo-student'));
    await sse.waitFor((s) => s.kind === 'result' && s.checkId !== shown.checkId);
    const checks = records(k.dir).filter((r) => r.type === 'check');
    expect(checks.map((r) => r.checkId)).toEqual([shown.checkId, expect.not.stringMatching(shown.checkId!)]);
  });
});
