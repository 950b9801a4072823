import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { RecordStore } from '../../src/records/index.js';
import { ROOT, ensureBuilt, tempDir } from './helpers.js';

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => ensureBuilt(), 120_000);
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

/** Run the writer child until it has confirmed `atLeast` checks, then kill -9 it. Returns what it confirmed. */
async function writeThenKill(dir: string, keyFile: string, prefix: string, atLeast: number): Promise<{ ok: string[]; likeness: string[] }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'test/records/crash-child.mjs'), dir, keyFile, prefix], { stdio: ['ignore', 'pipe', 'pipe'] });
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
