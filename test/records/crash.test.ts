import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { LOG_FILE, RecordReader, RecordStore, SEQ_FILE, credentialSha256 } from '../../src/records/index.js';
import { ROOT, ensureBuilt, tempDir } from './helpers.js';

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => ensureBuilt(), 120_000);
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

/** Run the writer child until it has confirmed `atLeast` checks, then kill -9 it. Returns what it confirmed. */
async function writeThenKill(dir: string, keyFile: string, prefix: string, atLeast: number): Promise<{ ok: string[]; likeness: string[] }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'test/records/crash-child.mjs'), dir, keyFile, prefix], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ok: string[] = [];
  const likeness: string[] = [];
  let stderr = '';
  let buffered = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [what, id] = line.split(' ');
        if (what === 'ok') ok.push(id!);
        if (what === 'likeness') likeness.push(id!);
      }
      if (ok.length >= atLeast) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.on('exit', () => (ok.length >= atLeast ? resolve() : reject(new Error(`writer exited early: ${stderr}`))));
  });
  expect(await exited).toBe('SIGKILL'); // wait until it is reaped, so its pid is gone
  return { ok, likeness };
}

it('kill -9 of a writer loses at most the record in flight, never an earlier one (3 rounds)', async () => {
  const dir = path.join(tmp.dir, 'store');
  const keyFile = path.join(tmp.dir, 'records.key');
  const confirmed: string[] = [];
  const confirmedLikeness = new Set<string>();
  const rounds = [150, 211, 97];
  for (const [round, atLeast] of rounds.entries()) {
    const { ok, likeness } = await writeThenKill(dir, keyFile, `r${round}`, atLeast);
    confirmed.push(...ok);
    for (const id of likeness) confirmedLikeness.add(id);

    const store = await RecordStore.open({ dir, deskId: 'crash-desk', retentionDays: 30, personalCopy: { keyFile } });
    const byId = new Map(store.list().map((c) => [c.checkId, c]));
    for (const id of confirmed) {
      const rec = byId.get(id);
      expect(rec, `confirmed check ${id} is missing after kill -9`).toBeDefined();
      expect(rec!.deskId).toBe('crash-desk');
      if (confirmedLikeness.has(id)) expect(rec!.likeness).toBe('yes');
    }
    // Only the check in flight may be present beyond what the writer confirmed.
    const extra = [...byId.keys()].filter((id) => !confirmed.includes(id));
    expect(extra.length).toBeLessThanOrEqual(1);
    confirmed.push(...extra);
    expect(store.readProblems()).toEqual([]); // a torn last line, if any, was cut on open
    // Every confirmed check that carried a personal copy opens with the key.
    for (const id of confirmed.filter((c) => Number(c.split('-')[1]) % 3 === 0)) {
      expect(store.readPersonal(id).fullName).toBe(`Person ${id.split('-')[1]}`);
    }
    store.close();
  }
  expect(confirmed.length).toBeGreaterThanOrEqual(rounds.reduce((a, b) => a + b, 0));
});

it('kill -9 during purge leaves either the old log or the new one, never a mixture (5 rounds)', async () => {
  const dir = path.join(tmp.dir, 'store');
  fs.mkdirSync(dir, { mode: 0o700 });
  const file = path.join(dir, LOG_FILE);
  // A big log written directly (fsync per record would take minutes): 30,000 checks, every other one expired.
  const lines: string[] = [];
  for (let i = 0; i < 30_000; i++) {
    lines.push(
      JSON.stringify({
        type: 'check',
        checkId: `p${i}`,
        at: '2026-01-01T10:00:00.000Z',
        deskId: 'purge-desk',
        purpose: 'work',
        verdict: 'VALID',
        reason: null,
        kid: 'k1',
        credentialSha256: credentialSha256(String(i)),
        followUpDate: null,
        keepUntil: i % 2 ? '2026-02-01' : '2099-01-01',
      }),
    );
  }
  const before = `${lines.join('\n')}\n`;
  const after = `${lines.filter((_l, i) => i % 2 === 0).join('\n')}\n`;
  const outcomes: string[] = [];
  for (const delayMs of [0, 10, 40, 120, 400]) {
    fs.writeFileSync(file, before, { mode: 0o600 });
    const child = spawn(process.execPath, [path.join(ROOT, 'test/records/purge-child.mjs'), dir, '2026-06-01T00:00:00Z'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.startsWith('ready\n')) resolve();
      });
      child.on('exit', () => reject(new Error(`purge child exited before ready: ${err}`)));
    });
    child.stdin.write('go\n');
    await new Promise((r) => setTimeout(r, delayMs));
    child.kill('SIGKILL');
    await exited;
    const now = fs.readFileSync(file, 'utf8');
    expect(now === before || now === after, `round ${delayMs} ms: log is neither the old nor the new one`).toBe(true);
    outcomes.push(now === before ? 'old' : 'new');
    const reader = RecordReader.openReadOnly({ dir });
    expect(reader.list()).toHaveLength(now === before ? 30_000 : 15_000);
    expect(reader.readProblems()).toEqual([]);
  }
  // the next writer clears any temp file a killed purge left
  RecordStore.openForMaintenance({ dir }).close();
  expect(
    fs
      .readdirSync(dir)
      .sort()
      .filter((f) => f !== SEQ_FILE),
  ).toEqual([LOG_FILE]);
  console.log(`purge kill rounds: ${outcomes.join(', ')}`);
});
