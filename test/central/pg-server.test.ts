/**
 * The tests' own PostgreSQL does not outlive the test process: a run killed from outside (a timeout, ^C) never
 * reaches afterAll, so each server has a watchdog on a pipe from this process that stops it and removes its folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { guardPostgres, startPostgres } from './pg-server.js';

const missing = guardPostgres();

describe.skipIf(missing !== null)(`the test PostgreSQL's watchdog${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('stops the server and removes its folder once the pipe from the test process closes', async () => {
    const pg = await startPostgres({ listen: '' });
    const pid = Number(fs.readFileSync(path.join(pg.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(pg.psql('SELECT 1')).toBe('1');
    expect(fs.existsSync(`/proc/${pid}`)).toBe(true);
    await pg.cutLifeline(); // what the kernel does when this process dies
    expect(fs.existsSync(pg.dir)).toBe(false);
    // pg_ctl -w returned after the postmaster exited; it may linger only as a zombie of its (gone) parent
    const state = fs.existsSync(`/proc/${pid}/stat`) ? fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2] : 'gone';
    expect(['gone', 'Z', 'X']).toContain(state);
  });

  it('remove() still stops and removes it, and ends the watchdog', async () => {
    const pg = await startPostgres({ listen: '' });
    await pg.remove();
    expect(fs.existsSync(pg.dir)).toBe(false);
  });
});
