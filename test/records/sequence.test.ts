/**
 * The entry sequence: every entry a store writes is numbered 1, 2, 3… in log order, across entry types and
 * writers, numbers are never given twice (not even after purge removed the lines that held the highest), and
 * lines written before sequences existed stay readable.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOG_FILE, RecordError, RecordReader, RecordStore, SEQ_FILE, type LogEntry } from '../../src/records/index.js';
import { parseEntry } from '../../src/records/entries.js';
import { newCheck, tempDir } from './helpers.js';

let tmp: ReturnType<typeof tempDir>;
let dir: string;
const open = () => RecordStore.open({ dir, deskId: 'front-desk-1', retentionDays: 10, requestPollMs: 0 });
const seqs = () =>
  fs
    .readFileSync(path.join(dir, LOG_FILE), 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { seq?: number }).seq);

beforeEach(() => {
  tmp = tempDir();
  dir = path.join(tmp.dir, 'store');
});
afterEach(() => tmp.cleanup());

describe('entry sequence', () => {
  it('numbers every entry type in log order, and a new writer goes on from the last', async () => {
    const store = await open();
    expect(store.lastSeq).toBe(0);
    store.appendCheck(newCheck('a', '2026-03-01T10:00:00Z'));
    store.appendLikeness('a', 'yes');
    store.keep('a', '2027-01-01');
    store.close();
    const maint = RecordStore.openForMaintenance({ dir });
    maint.keep('a', '2027-06-01');
    maint.close();
    const again = await open();
    expect(again.lastSeq).toBe(4);
    again.appendCheck(newCheck('b', '2026-03-02T10:00:00Z'));
    again.close();
    expect(seqs()).toEqual([1, 2, 3, 4, 5]);
  });

  it('survives a purge that removed the highest numbers (even every line)', async () => {
    const store = await open();
    store.appendCheck(newCheck('old1', '2026-01-01T10:00:00Z')); // kept until 2026-01-11
    store.appendCheck(newCheck('old2', '2026-01-01T11:00:00Z'));
    store.appendLikeness('old2', 'no');
    expect(store.purge(new Date('2026-02-01T00:00:00Z')).removed).toBe(2);
    expect(fs.readFileSync(path.join(dir, LOG_FILE), 'utf8')).toBe('');
    expect(JSON.parse(fs.readFileSync(path.join(dir, SEQ_FILE), 'utf8'))).toEqual({ v: 1, highestSeq: 3 });
    store.appendCheck(newCheck('after', '2026-02-01T10:00:00Z'));
    store.close();
    const again = await open(); // learns 4 from the log, and not less than 3 from the file
    again.appendLikeness('after', 'yes');
    again.close();
    expect(seqs()).toEqual([4, 5]);
    // a purge of an emptied log, then a fresh writer: still no number given twice
    const third = await open();
    third.purge(new Date('2026-03-01T00:00:00Z'));
    third.close();
    const fourth = await open();
    fourth.appendCheck(newCheck('later', '2026-03-01T10:00:00Z'));
    fourth.close();
    expect(seqs()).toEqual([6]);
  });

  it('tells the listeners of each durable entry, with its number; a listener that throws changes nothing', async () => {
    const store = await open();
    const seen: LogEntry[] = [];
    store.onAppend(() => {
      throw new Error('listener trouble');
    });
    const stop = store.onAppend((e) => seen.push(e));
    store.appendCheck(newCheck('a', '2026-03-01T10:00:00Z'));
    store.appendLikeness('a', 'not-asked');
    stop();
    store.appendLikeness('a', 'yes');
    expect(seen.map((e) => [e.type, e.seq])).toEqual([
      ['check', 1],
      ['likeness', 2],
    ]);
    expect(store.list()[0]!.likeness).toBe('yes');
    store.close();
  });

  it('reads lines written before sequences existed, and numbers only what comes after', async () => {
    fs.mkdirSync(dir, { mode: 0o700 });
    const old = [
      '{"type":"check","checkId":"legacy","at":"2025-11-23T19:49:20.123Z","deskId":"front-desk-1","purpose":"rent","verdict":"VALID","reason":null,"kid":"demo-2026","credentialSha256":"16d3000000000000000000000000000000000000000000000000000000000000","followUpDate":null,"keepUntil":"2031-11-23"}',
      '{"type":"likeness","checkId":"legacy","at":"2025-11-23T19:49:31.002Z","likeness":"yes"}',
    ];
    fs.writeFileSync(path.join(dir, LOG_FILE), `${old.join('\n')}\n`, { mode: 0o600 });
    const store = await open();
    expect(store.readProblems()).toEqual([]);
    expect(store.lastSeq).toBe(0);
    store.keep('legacy', '2032-01-01');
    store.close();
    expect(seqs()).toEqual([undefined, undefined, 1]);
    expect(RecordReader.openReadOnly({ dir }).get('legacy')).toMatchObject({ likeness: 'yes', keepUntil: '2032-01-01' });
  });

  it('a damaged sequence file stops the writer with SEQUENCE_DAMAGED rather than give numbers twice', async () => {
    const store = await open();
    store.appendCheck(newCheck('a', '2026-03-01T10:00:00Z'));
    store.close();
    fs.writeFileSync(path.join(dir, SEQ_FILE), '{"v":1,"highestSeq":');
    const err = await open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RecordError);
    expect((err as RecordError).code).toBe('SEQUENCE_DAMAGED');
    expect((err as RecordError).message).toContain(SEQ_FILE);
    // readers do not need it
    expect(RecordReader.openReadOnly({ dir }).list()).toHaveLength(1);
  });

  it('readers refuse a seq that is not a positive whole number, and a status-list URI without its index', () => {
    const base = { type: 'likeness', checkId: 'a', at: '2026-03-01T10:00:00Z', likeness: 'yes' };
    expect(parseEntry(JSON.stringify({ ...base, seq: 7 }))).toHaveProperty('entry');
    for (const seq of [0, -1, 1.5, '3', null])
      expect(parseEntry(JSON.stringify({ ...base, seq }))).toEqual({ problem: 'not a record entry (seq: missing or not valid)' });
    const check = { ...newCheck('c', '2026-03-01T10:00:00Z'), type: 'check', deskId: 'd', keepUntil: '2026-04-01' };
    expect(parseEntry(JSON.stringify({ ...check, statusListUri: 'https://issuer.example/status/1', statusListIdx: 0 }))).toHaveProperty(
      'entry',
    );
    expect(parseEntry(JSON.stringify({ ...check, statusListUri: 'https://issuer.example/status/1' }))).toEqual({
      problem: 'not a record entry (statusListUri and statusListIdx: one without the other)',
    });
    expect(parseEntry(JSON.stringify({ ...check, statusListUri: 'x', statusListIdx: -1 }))).toEqual({
      problem: 'not a record entry (statusListIdx: missing or not valid)',
    });
  });

  it("keeps a check's status-list reference when given, and refuses half of one", async () => {
    const store = await open();
    const rec = store.appendCheck({
      ...newCheck('s', '2026-03-01T10:00:00Z'),
      statusListUri: 'https://issuer.example/status/1',
      statusListIdx: 42,
    });
    expect(rec).toMatchObject({ statusListUri: 'https://issuer.example/status/1', statusListIdx: 42, seq: 1 });
    expect(() => store.appendCheck({ ...newCheck('t', '2026-03-01T10:00:00Z'), statusListIdx: 3 })).toThrow(/one without the other/);
    expect(store.get('s')).toMatchObject({ statusListIdx: 42 });
    store.close();
  });
});
