/**
 * kill -9 of a desk at any point between writing locally and the server having the entry: after writing and before
 * shipping, inside the transaction before COMMIT, after COMMIT and before the cursor is written, and at random moments
 * in a stream. Afterwards every entry of the log is in the database exactly once: nothing lost, nothing doubled.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralPool } from '../../src/central/connect.js';
import { centralEntries, deskRole, ensureBuilt, freshDatabase, localEntries, tempDir } from './helpers.js';
import { guardPostgres, startPostgres, type PgServer } from './pg-server.js';

const missing = guardPostgres();
const CHILD = path.join(import.meta.dirname, 'desk-child.mjs');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runChild(env: Record<string, string>, killAfterWrites?: number): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CHILD], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (killAfterWrites !== undefined && (stdout.match(/^wrote /gm)?.length ?? 0) >= killAfterWrites) child.kill('SIGKILL');
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe.skipIf(missing !== null)(`kill -9 of a shipping desk${missing ? ` (SKIPPED: ${missing})` : ''}`, () => {
  let pg: PgServer;
  let owner: CentralPool;
  let url = '';
  const tmp = tempDir('crash');
  const dir = path.join(tmp.dir, 'records');

  beforeAll(async () => {
    ensureBuilt();
    pg = await startPostgres();
    const db = await freshDatabase(pg);
    owner = db.owner;
    (await deskRole(pg, owner, db.name, 'desk-kill', 'desk_kill', 'kill-password-1')).close();
    url = pg.tcpUrl('desk_kill', 'kill-password-1', db.name);
  }, 120_000);

  afterAll(async () => {
    await owner?.close();
    await pg?.remove();
    tmp.remove();
  });

  it('nothing lost, nothing doubled, wherever the kill lands', async () => {
    const env = { DIR: dir, DESK: 'desk-kill', DB_URL: url };
    const modes = ['kill-after-write', 'kill-in-commit', 'kill-after-commit', 'kill-after-write', 'kill-after-commit', 'kill-in-commit'];
    for (const mode of modes) {
      const r = await runChild({ ...env, MODE: mode });
      expect(r.signal, `${mode}: ${r.stderr}`).toBe('SIGKILL');
    }
    // random kills in the middle of streams of checks (the shipper ships 7 entries per transaction)
    for (const killAt of [3, 17, 1, 29, 8]) {
      const r = await runChild({ ...env, MODE: 'stream', COUNT: '40' }, killAt);
      expect(r.signal, r.stderr).toBe('SIGKILL');
    }
    const before = (await centralEntries(owner, 'desk-kill')).length;
    const drained = await runChild({ ...env, MODE: 'drain' });
    expect(drained.code, drained.stderr).toBe(0);
    expect(drained.stdout).toContain('drained');
    const local = localEntries(dir);
    const central = await centralEntries(owner, 'desk-kill');
    expect(local.length).toBeGreaterThan(modes.length);
    expect(before, 'some entries were still to ship when the last desk was killed').toBeLessThan(local.length);
    expect(central).toEqual(local); // same entries, same numbers, in the same order: none missing, none twice
    const dupes = await owner.query<{ n: string }>(
      'SELECT count(*) AS n FROM (SELECT check_id, entry_seq FROM proofdesk.entries GROUP BY 1, 2 HAVING count(*) > 1) d',
    );
    expect(dupes[0]!.n).toBe('0');
  }, 300_000);
});
