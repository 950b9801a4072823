import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOG_FILE, RecordError, RecordReader, RecordStore, SEQ_FILE, credentialSha256, newCheckId } from '../../src/records/index.js';
import { WriterLock } from '../../src/records/writer-lock.js';
import { newCheck, tempDir } from './helpers.js';
import { codeOf as codeOfError } from '../code-of.js';

let tmp: ReturnType<typeof tempDir>;
let dir: string;
const open = (extra: { retentionDays?: number } = {}) =>
  RecordStore.open({ dir, deskId: 'front-desk-1', retentionDays: extra.retentionDays ?? 365 });

const codeOf = (fn: () => unknown) => codeOfError(fn, RecordError);

beforeEach(() => {
  tmp = tempDir();
  dir = path.join(tmp.dir, 'store');
});
afterEach(() => tmp.cleanup());

describe('append, fold, list', () => {
  it('writes one JSON line per check with desk id and default keep-until, and reads it back', async () => {
    const store = await open({ retentionDays: 30 });
    const written = store.appendCheck(newCheck('c1', '2026-11-23T19:49:20.000Z'));
    expect(written).toEqual({
      ...newCheck('c1', '2026-11-23T19:49:20.000Z'),
      type: 'check',
      deskId: 'front-desk-1',
      keepUntil: '2026-12-23',
      seq: 1,
    });
    const lines = fs.readFileSync(path.join(dir, LOG_FILE), 'utf8').split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    expect(JSON.parse(lines[0]!)).toEqual(written);
    expect(store.list()).toEqual([{ ...written, outcome: 'PHOTO_PENDING' }]); // a line from before outcomes: derived
    store.close();
  });

  it('keep-until counts from the UTC date of the check', async () => {
    const store = await open({ retentionDays: 1 });
    expect(store.appendCheck(newCheck('late', '2026-12-31T23:59:59+00:00')).keepUntil).toBe('2027-01-01');
    // 00:30 in London summer time is still the previous day in UTC
    expect(store.appendCheck(newCheck('bst', '2026-06-02T00:30:00+01:00')).keepUntil).toBe('2026-06-02');
    expect(store.appendCheck({ ...newCheck('own', '2026-06-02T10:00:00Z'), keepUntil: '2030-01-01' }).keepUntil).toBe('2030-01-01');
    store.close();
  });

  it('folds likeness answers (latest wins) and keep extensions into the check; list --since filters by time', async () => {
    const store = await open();
    store.appendCheck(newCheck('a', '2026-11-01T09:00:00Z'));
    store.appendCheck(newCheck('b', '2026-11-02T09:00:00Z'));
    store.appendCheck(newCheck('c', '2026-11-03T09:00:00Z'));
    store.appendLikeness('a', 'no');
    store.appendLikeness('a', 'yes');
    store.appendLikeness('b', 'not-asked');
    store.keep('b', '2031-05-05');
    const all = store.list();
    expect(all.map((c) => [c.checkId, c.likeness, c.keepUntil])).toEqual([
      ['a', 'yes', '2027-11-01'],
      ['b', 'not-asked', '2031-05-05'],
      ['c', undefined, '2027-11-03'],
    ]);
    expect(store.list({ since: '2026-11-02' }).map((c) => c.checkId)).toEqual(['b', 'c']);
    expect(store.list({ since: '2026-11-02T09:00:01Z' }).map((c) => c.checkId)).toEqual(['c']);
    expect(codeOf(() => store.list({ since: 'last tuesday' }))).toBe('BAD_ARGUMENT');
    // the follow-ups are separate lines: the check line itself is never rewritten
    const log = fs
      .readFileSync(path.join(dir, LOG_FILE), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    expect(log.map((e) => e.type)).toEqual(['check', 'check', 'check', 'likeness', 'likeness', 'likeness', 'keep']);
    store.close();

    // a reopened store (and a read-only reader) see the same folded view
    const reader = RecordReader.openReadOnly({ dir });
    expect(reader.list()).toEqual(all);
    expect(reader.readProblems()).toEqual([]);
  });

  it('keep only extends; unknown checks and bad input are refused with stable codes', async () => {
    const store = await open();
    store.appendCheck(newCheck('a', '2026-11-01T09:00:00Z'));
    expect(codeOf(() => store.keep('a', '2027-01-01'))).toBe('KEEP_NOT_LATER');
    expect(codeOf(() => store.keep('a', '2027-11-01'))).toBe('ok'); // same date: nothing to do
    expect(codeOf(() => store.keep('a', '2027-02-30'))).toBe('BAD_ARGUMENT');
    expect(codeOf(() => store.keep('zz', '2030-01-01'))).toBe('UNKNOWN_CHECK');
    expect(codeOf(() => store.appendLikeness('zz', 'yes'))).toBe('UNKNOWN_CHECK');
    expect(codeOf(() => store.appendLikeness('a', 'maybe' as never))).toBe('BAD_ARGUMENT');
    expect(codeOf(() => store.appendCheck(newCheck('a', '2026-11-01T09:00:00Z')))).toBe('DUPLICATE_CHECK');
    expect(codeOf(() => store.appendCheck(newCheck('../etc/passwd', '2026-11-01T09:00:00Z')))).toBe('BAD_ARGUMENT');
    expect(codeOf(() => store.appendCheck(newCheck('d', '2026-11-01 09:00')))).toBe('BAD_ARGUMENT');
    expect(codeOf(() => store.appendCheck({ ...newCheck('d', '2026-11-01T09:00:00Z'), credentialSha256: 'abc' }))).toBe('BAD_ARGUMENT');
    expect(codeOf(() => store.appendCheck({ ...newCheck('d', '2026-11-01T09:00:00Z'), reason: 'MADE_UP' as never }))).toBe('BAD_ARGUMENT');
    expect(codeOf(() => store.appendCheck({ ...newCheck('d', '2026-11-01T09:00:00Z'), keepUntil: '2026-10-01' }))).toBe('BAD_ARGUMENT');
    expect(store.list().map((c) => c.checkId)).toEqual(['a']);
    store.close();
    expect(codeOf(() => store.list())).toBe('STORE_CLOSED');
  });

  it('shortens (and marks) an over-long kid from a hostile code instead of losing the record', async () => {
    const store = await open();
    const kid = 'k'.repeat(5000);
    const rec = store.appendCheck({ ...newCheck('long', '2026-11-01T09:00:00Z'), kid });
    expect(rec.kid).toBe(`${'k'.repeat(224)}…[5000 chars]`);
    expect(store.list()[0]!.kid).toBe(rec.kid);
    expect(store.appendCheck({ ...newCheck('short', '2026-11-01T09:00:00Z'), kid: 'é'.repeat(256) }).kid).toBe('é'.repeat(256));
    store.close();
  });

  it('allows one writer at a time; readers need no lock; a lock left by a dead process is taken over', async () => {
    const store = await open();
    await expect(open()).rejects.toMatchObject({ code: 'STORE_BUSY' });
    expect(() => RecordStore.openForMaintenance({ dir })).toThrow(/already open for writing/);
    store.appendCheck(newCheck('a', '2026-11-01T09:00:00Z'));
    expect(RecordReader.openReadOnly({ dir }).list()).toHaveLength(1);
    store.close();
    fs.writeFileSync(path.join(dir, 'writer.lock'), '2147483646\n'); // no such process
    const again = await open();
    expect(again.list()).toHaveLength(1);
    again.close();
    expect(fs.existsSync(path.join(dir, 'writer.lock'))).toBe(false);
  });

  it("a dead writer's lock seen by two contenders is taken over by one; the other does not remove the new holder's lock", () => {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(dir, 'writer.lock'), '2147483646\n'); // no such process
    let second: WriterLock | undefined;
    // Contender 1 judges the lock stale, then stalls (descheduled) until contender 2 has taken it over.
    const first = () =>
      WriterLock.acquire(dir, { afterStaleSeen: () => void (second ??= WriterLock.acquire(dir, { servesRequests: true })) });
    expect(first).toThrow(expect.objectContaining({ code: 'STORE_BUSY' }));
    expect(second).toBeDefined();
    expect(WriterLock.holder(dir)).toEqual({ pid: process.pid, servesRequests: true }); // contender 2's lock stands
    second!.release();
    expect(fs.readdirSync(dir)).toEqual([]); // no lock, takeover or temp file left
  });

  it('a read-only open of a folder with no store says so', () => {
    expect(() => RecordReader.openReadOnly({ dir })).toThrow(expect.objectContaining({ code: 'STORE_MISSING' }));
  });

  it('validates desk id and retention', async () => {
    await expect(RecordStore.open({ dir, deskId: '', retentionDays: 1 })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    await expect(RecordStore.open({ dir, deskId: 'x', retentionDays: 0 })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    await expect(RecordStore.open({ dir, deskId: 'x', retentionDays: 1.5 })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
  });

  it('helpers: credentialSha256 is SHA-256 hex of the UTF-8 text; newCheckId is time-ordered and filename-safe', () => {
    expect(credentialSha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const id = newCheckId(new Date('2026-11-23T19:49:20Z'));
    expect(id).toMatch(/^20261123-194920-[0-9a-f]{8}$/);
    expect(newCheckId()).not.toBe(newCheckId());
  });
});

describe('damaged and torn lines', () => {
  it('a torn last line is skipped and reported by readers, cut by the next writer, never fatal', async () => {
    const store = await open();
    store.appendCheck(newCheck('a', '2026-11-01T09:00:00Z'));
    store.appendCheck(newCheck('b', '2026-11-01T10:00:00Z'));
    store.close();
    const file = path.join(dir, LOG_FILE);
    const whole = fs.readFileSync(file, 'utf8');
    const torn = '{"type":"check","checkId":"c","at":"2026-11-0';
    fs.appendFileSync(file, torn);
    const reader = RecordReader.openReadOnly({ dir });
    expect(reader.list().map((c) => c.checkId)).toEqual(['a', 'b']);
    expect(reader.readProblems()).toEqual([{ line: 3, problem: expect.stringContaining('interrupted'), torn: true }]);

    const writer = await open();
    expect(writer.recoveredTornBytes).toBe(Buffer.byteLength(torn));
    expect(fs.readFileSync(file, 'utf8')).toBe(whole);
    writer.appendCheck(newCheck('c', '2026-11-01T11:00:00Z'));
    expect(writer.list().map((c) => c.checkId)).toEqual(['a', 'b', 'c']);
    expect(writer.readProblems()).toEqual([]);
    writer.close();
  });

  it('a damaged line in the middle is skipped and reported; the rest still reads', async () => {
    const store = await open();
    store.appendCheck(newCheck('a', '2026-11-01T09:00:00Z'));
    store.close();
    const file = path.join(dir, LOG_FILE);
    fs.appendFileSync(
      file,
      'garbage\n{"type":"check","checkId":"x"}\n{"type":"likeness","checkId":"nope","at":"2026-11-01T09:00:00Z","likeness":"yes"}\n',
    );
    const writer = await open();
    writer.appendCheck(newCheck('b', '2026-11-01T10:00:00Z'));
    expect(writer.list().map((c) => c.checkId)).toEqual(['a', 'b']);
    expect(writer.readProblems().map((p) => [p.line, p.problem.split(' (')[0]])).toEqual([
      [2, 'not JSON'],
      [3, 'not a record entry'],
      [4, 'likeness entry for unknown check nope; ignored'],
    ]);
    writer.close();
  });
});

describe('purge', () => {
  it('removes checks whose keep-until is before today (UTC), keeps the rest byte for byte, and keeps the boundary day', async () => {
    const store = await open({ retentionDays: 10 });
    store.appendCheck(newCheck('old', '2026-01-01T12:00:00Z')); // keep until 2026-01-11
    store.appendCheck(newCheck('edge', '2026-01-02T12:00:00Z')); // keep until 2026-01-12
    store.appendCheck(newCheck('kept', '2026-01-01T13:00:00Z')); // extended below
    store.appendLikeness('old', 'yes');
    store.appendLikeness('edge', 'yes');
    store.keep('kept', '2026-06-30');
    const file = path.join(dir, LOG_FILE);
    const before = fs.readFileSync(file, 'utf8').split('\n');

    expect(store.purge(new Date('2026-01-11T23:59:59Z'))).toEqual({ removed: 0, orphanCopiesRemoved: 0 });
    expect(store.purge(new Date('2026-01-12T00:00:00Z'))).toEqual({ removed: 1, orphanCopiesRemoved: 0 });
    expect(store.list().map((c) => c.checkId)).toEqual(['edge', 'kept']);
    const after = fs.readFileSync(file, 'utf8').split('\n');
    expect(after).toEqual(before.filter((l) => !l.includes('"old"')));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    // the store keeps appending to the new file after the rewrite
    store.appendCheck(newCheck('new', '2026-01-12T08:00:00Z'));
    expect(store.purge(new Date('2026-01-13T00:00:00Z')).removed).toBe(1);
    expect(store.list().map((c) => c.checkId)).toEqual(['kept', 'new']);
    expect(codeOf(() => store.appendLikeness('edge', 'no'))).toBe('UNKNOWN_CHECK');
    store.close();
    expect(
      RecordReader.openReadOnly({ dir })
        .list()
        .map((c) => c.checkId),
    ).toEqual(['kept', 'new']);
    expect(fs.readdirSync(dir).sort()).toEqual([LOG_FILE, SEQ_FILE]); // no temp files left
  });

  it('a purge killed before its rename leaves the old log whole; the next writer clears its temp file', async () => {
    const store = await open();
    store.appendCheck(newCheck('a', '2026-01-01T12:00:00Z'));
    store.close();
    const temp = path.join(dir, `${LOG_FILE}.purge-999999.tmp`);
    fs.writeFileSync(temp, 'half a rewrite', { mode: 0o600 });
    expect(
      RecordReader.openReadOnly({ dir })
        .list()
        .map((c) => c.checkId),
    ).toEqual(['a']);
    (await open()).close();
    expect(fs.existsSync(temp)).toBe(false);
  });

  it('a writer killed while it wrote the sequence floor leaves a temp copy; the next writer clears it, and nothing else', async () => {
    const store = await open();
    store.appendCheck(newCheck('a', '2026-01-01T12:00:00Z'));
    store.close();
    const temp = path.join(dir, `.tmp-${SEQ_FILE}.999999.83bde7b1`);
    const unrelated = path.join(dir, 'notes.txt');
    fs.writeFileSync(temp, '{"v":1,"highestSeq":', { mode: 0o600 });
    fs.writeFileSync(unrelated, 'not ours', { mode: 0o600 });
    (await open()).close();
    expect(fs.existsSync(temp)).toBe(false);
    expect(fs.existsSync(unrelated)).toBe(true);
  });

  it('keeps lines it cannot read (it cannot tell their age)', async () => {
    const store = await open({ retentionDays: 1 });
    store.appendCheck(newCheck('old', '2026-01-01T12:00:00Z'));
    store.close();
    fs.appendFileSync(path.join(dir, LOG_FILE), 'damaged line\n');
    const writer = await open({ retentionDays: 1 });
    expect(writer.purge(new Date('2027-01-01T00:00:00Z')).removed).toBe(1);
    expect(fs.readFileSync(path.join(dir, LOG_FILE), 'utf8')).toBe('damaged line\n');
    writer.close();
  });
});
