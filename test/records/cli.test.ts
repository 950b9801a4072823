import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_WORTH_STATEMENT, RecordStore } from '../../src/records/index.js';
import { ROOT, credentialText, ensureBuilt, newCheck, personalCopy, tempDir } from './helpers.js';
import { pdfSkipNote, pdfText, pdfToolsPresent, prepareQrReader, qrTextsOnPage, requirePdfTools } from './pdf-tools.js';

requirePdfTools();
let tmp: ReturnType<typeof tempDir>;
let store: string;
let keyFile: string;

beforeAll(async () => {
  ensureBuilt();
  await prepareQrReader();
}, 120_000);
beforeEach(() => {
  tmp = tempDir();
  store = path.join(tmp.dir, 'records');
  keyFile = path.join(tmp.dir, 'records.key');
});
afterEach(() => tmp.cleanup());

function proofdesk(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli/main.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, HOME: tmp.dir, XDG_DATA_HOME: '', XDG_CONFIG_HOME: '', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectOk(r: ReturnType<typeof proofdesk>): void {
  expect(r.code, `exit ${r.code}: ${r.stderr}`).toBe(0);
}

/** A failure is exit 2 with exactly one line on stderr. */
function expectOneLineError(r: ReturnType<typeof proofdesk>, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
}

async function seed(opts: { personal?: boolean } = {}) {
  const s = await RecordStore.open({
    dir: store,
    deskId: 'desk-cli',
    retentionDays: 30,
    ...(opts.personal && { personalCopy: { keyFile } }),
  });
  s.appendCheck(newCheck('a1', '2026-01-05T09:00:00Z'), opts.personal ? await personalCopy() : undefined);
  s.appendCheck({
    ...newCheck('b2', '2026-11-20T10:30:00Z'),
    verdict: 'NOT VALID',
    reason: 'SIGNATURE_INVALID',
    kid: '=HYPERLINK("http://x","y")',
  });
  s.appendCheck({
    ...newCheck('c3', '2026-11-21T11:00:00Z'),
    verdict: 'CHECK MANUALLY',
    reason: 'PENDING_APPLICATION',
    followUpDate: '2027-05-21',
  });
  s.appendLikeness('a1', 'yes');
  s.appendLikeness('c3', 'not-asked');
  s.close();
}

describe('proofdesk records', () => {
  it('list prints a table, --json a JSON array, --since filters', async () => {
    await seed();
    const table = proofdesk(['records', 'list', '--store', store]);
    expectOk(table);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^CHECK ID\s+TIME \(UTC\)\s+VERDICT\s+OUTCOME\s+REASON\s+LIKENESS\s+FOLLOW-UP\s+KEEP UNTIL$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/))).toEqual([
      ['a1', '2026-01-05 09:00:00', 'VALID', 'CONFIRMED', '-', 'yes', '-', '2026-02-04'],
      ['b2', '2026-11-20 10:30:00', 'NOT VALID', 'NOT_VALID', 'SIGNATURE_INVALID', '-', '-', '2026-12-20'],
      ['c3', '2026-11-21 11:00:00', 'CHECK MANUALLY', 'CHECK_MANUALLY', 'PENDING_APPLICATION', 'not-asked', '2027-05-21', '2026-12-21'],
    ]);
    const json = proofdesk(['records', 'list', '--json', '--since', '2026-11-21', '--store', store]);
    expectOk(json);
    expect(JSON.parse(json.stdout)).toEqual([
      {
        checkId: 'c3',
        at: '2026-11-21T11:00:00Z',
        deskId: 'desk-cli',
        purpose: 'rent',
        verdict: 'CHECK MANUALLY',
        reason: 'PENDING_APPLICATION',
        kid: 'demo-2026',
        credentialSha256: newCheck('x', '').credentialSha256,
        followUpDate: '2027-05-21',
        keepUntil: '2026-12-21',
        likeness: 'not-asked',
        outcome: 'CHECK_MANUALLY',
        demo: false,
      },
    ]);
    expect(JSON.parse(proofdesk(['records', 'list', '--json', '--since', '2027-01-01', '--store', store]).stdout)).toEqual([]);
    expectOneLineError(proofdesk(['records', 'list', '--since', 'yesterday', '--store', store]), /^proofdesk: --since must be a date/);
    // a bad date is reported before anything about the store, and a date-time needs its zone
    for (const bad of ['2026-02-30', '2026-11-01T10:00', '01/11/2026', '']) {
      expectOneLineError(
        proofdesk(['records', 'export', '--format', 'csv', '--since', bad, '--store', path.join(tmp.dir, 'nowhere')]),
        /^proofdesk: --since must be a date YYYY-MM-DD or an ISO date-time with a zone/,
      );
    }
    expect(
      JSON.parse(proofdesk(['records', 'list', '--json', '--since', '2026-11-21T11:00:00+01:00', '--store', store]).stdout),
    ).toHaveLength(1);
  });

  it('export --format csv quotes fields and defuses spreadsheet formulas; json matches list --json', async () => {
    await seed();
    const csv = proofdesk(['records', 'export', '--format', 'csv', '--store', store]);
    expectOk(csv);
    const rows = csv.stdout.split('\r\n');
    expect(rows[0]).toBe(
      'checkId,at,deskId,purpose,verdict,outcome,reason,kid,likeness,followUpDate,keepUntil,credentialSha256,credentialId,demo,revocation',
    );
    expect(rows[2]).toBe(
      `b2,2026-11-20T10:30:00Z,desk-cli,rent,NOT VALID,NOT_VALID,SIGNATURE_INVALID,"'=HYPERLINK(""http://x"",""y"")",,,2026-12-20,${newCheck('x', '').credentialSha256},,,`,
    );
    expect(rows).toHaveLength(5); // header, three rows, final CRLF
    const json = proofdesk(['records', 'export', '--format', 'json', '--store', store]);
    expect(json.stdout).toBe(proofdesk(['records', 'list', '--json', '--store', store]).stdout);
    expectOneLineError(proofdesk(['records', 'export', '--format', 'xml', '--store', store]), /xml/);
    expectOneLineError(proofdesk(['records', 'export', '--store', store]), /--format/);
  });

  it('keep extends keep-until; refuses an earlier date, an unknown check, and a store held by a writer that takes no requests', async () => {
    await seed();
    const ok = proofdesk(['records', 'keep', 'b2', '--until', '2028-12-31', '--store', store]);
    expect(ok).toMatchObject({ code: 0, stdout: 'check b2 kept until 2028-12-31\n' });
    const b2 = (
      JSON.parse(proofdesk(['records', 'list', '--json', '--store', store]).stdout) as Array<{ checkId: string; keepUntil: string }>
    ).find((c) => c.checkId === 'b2');
    expect(b2?.keepUntil).toBe('2028-12-31');
    expectOneLineError(
      proofdesk(['records', 'keep', 'b2', '--until', '2027-01-01', '--store', store]),
      /already kept until 2028-12-31; keep can only extend it/,
    );
    expectOneLineError(proofdesk(['records', 'keep', 'zz9', '--until', '2030-01-01', '--store', store]), /^proofdesk: no check zz9 in /);
    expectOneLineError(proofdesk(['records', 'keep', 'b2', '--store', store]), /--until/);
    // (the kiosk takes keep/purge requests: test/records/maintain.test.ts; this writer does not)
    const kiosk = await RecordStore.open({ dir: store, deskId: 'desk-cli', retentionDays: 30, requestPollMs: 0 });
    try {
      expectOneLineError(
        proofdesk(['records', 'keep', 'b2', '--until', '2029-01-01', '--store', store]),
        /already open for writing by process \d+ \(is the kiosk running\?\)/,
      );
      expectOk(proofdesk(['records', 'list', '--store', store])); // reading needs no lock
    } finally {
      kiosk.close();
    }
  });

  it('purge removes what has expired (with its personal copy) and says how much', async () => {
    const s = await RecordStore.open({ dir: store, deskId: 'desk-cli', retentionDays: 30, personalCopy: { keyFile } });
    s.appendCheck(newCheck('old1', '2020-01-05T09:00:00Z'), await personalCopy());
    s.appendCheck(newCheck('old2', '2020-02-05T09:00:00Z'));
    s.appendCheck({ ...newCheck('kept', '2020-03-05T09:00:00Z'), keepUntil: '2099-12-31' }, await personalCopy());
    s.close();
    const r = proofdesk(['records', 'purge', '--store', store]);
    expect(r).toMatchObject({ code: 0, stdout: 'removed 2 expired checks\n' });
    expect(fs.readdirSync(path.join(store, 'personal'))).toEqual(['kept.pdc']);
    expect(proofdesk(['records', 'list', '--store', store]).stdout).toMatch(/^CHECK ID.*\nkept /);
    expect(proofdesk(['records', 'purge', '--store', store]).stdout).toBe('removed 0 expired checks\n');
  });

  it('uses the per-user data folder by default ($XDG_DATA_HOME, else ~/.local/share)', () => {
    expectOneLineError(proofdesk(['records', 'list']), new RegExp(`no record store at ${tmp.dir}/.local/share/proofdesk/records `));
    expectOneLineError(
      proofdesk(['records', 'list'], { XDG_DATA_HOME: path.join(tmp.dir, 'xdg') }),
      new RegExp(`no record store at ${tmp.dir}/xdg/proofdesk/records `),
    );
  });

  it.runIf(pdfToolsPresent)(`pdf writes an owner-only evidence PDF whose QR decodes to the credential${pdfSkipNote}`, async () => {
    await seed({ personal: true });
    const out = path.join(tmp.dir, 'a1.pdf');
    const r = proofdesk(['records', 'pdf', 'a1', '--out', out, '--key-file', keyFile, '--store', store]);
    expect(r.stderr).toBe('');
    expectOk(r);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    expect(await qrTextsOnPage(out)).toEqual([credentialText()]);
    const text = pdfText(out);
    expect(text).toContain('Zofia Kowalczyk-Brennan');
    expect(text).toContain(DEFAULT_WORTH_STATEMENT);
    expect(text).toContain('desk-cli');

    expectOneLineError(proofdesk(['records', 'pdf', 'a1', '--out', out, '--key-file', keyFile, '--store', store]), /already exists/);
    const own = proofdesk([
      'records',
      'pdf',
      'a1',
      '--out',
      path.join(tmp.dir, 'own.pdf'),
      '--key-file',
      keyFile,
      '--store',
      store,
      '--statement',
      'Our own words about worth.',
    ]);
    expectOk(own);
    expect(pdfText(path.join(tmp.dir, 'own.pdf'))).toContain('Our own words about worth.');
  });

  it.runIf(pdfToolsPresent)(`--config takes the store, key file and wording from the kiosk config; flags win${pdfSkipNote}`, async () => {
    await seed({ personal: true });
    const cfg = path.join(tmp.dir, 'kiosk.yaml');
    fs.writeFileSync(
      cfg,
      [
        'desk: { id: desk-cli, purpose: rent }',
        'trust: { keys: keys.jwks }',
        'screen: { worth: "Deployment wording: this offline check supports, and does not replace, the online check." }',
        'records: { dir: records, personalCopy: { keyFile: records.key } }',
      ].join('\n'),
    );
    const list = proofdesk(['records', 'list', '--json', '--config', cfg]);
    expectOk(list);
    expect((JSON.parse(list.stdout) as unknown[]).length).toBe(3);
    const out = path.join(tmp.dir, 'cfg.pdf');
    expectOk(proofdesk(['records', 'pdf', 'a1', '--out', out, '--config', cfg]));
    expect(pdfText(out)).toContain('Deployment wording: this offline check supports, and does not replace, the online check.');
    expectOneLineError(
      proofdesk(['records', 'list', '--config', cfg, '--store', path.join(tmp.dir, 'elsewhere')]),
      /no record store at .*elsewhere/,
    );

    fs.writeFileSync(cfg, 'desk: { purpose: sideways }\nrecords: { retentionDays: 0 }\n');
    expectOneLineError(
      proofdesk(['records', 'list', '--config', cfg]),
      /desk\.purpose.*; .*records\.retentionDays|records\.retentionDays.*; .*desk\.purpose/,
    );
  });

  it.runIf(pdfToolsPresent)(
    `the PDF's QR re-verifies: proofdesk verify --image on the printed page gives the same verdict as the text (VALID, DEMO keys)${pdfSkipNote}`,
    async () => {
      const demo = path.join(ROOT, 'examples', 'demo-valid.txt');
      const keys = path.join(ROOT, 'examples', 'demo-issuer.jwks');
      const inspected = JSON.parse(proofdesk(['inspect', '--json', demo]).stdout) as {
        cwt: { iat: number };
        identity: { fullName: string; photo: string };
      };
      const at = new Date((inspected.cwt.iat + 3600) * 1000).toISOString();
      const text = fs.readFileSync(demo, 'utf8').trim();
      const s = await RecordStore.open({ dir: store, deskId: 'desk-cli', retentionDays: 30, personalCopy: { keyFile } });
      s.appendCheck(
        { ...newCheck('demo1', at, text), kid: 'DEMO-issuer-1' },
        {
          credentialText: text,
          fullName: inspected.identity.fullName,
          photo: { data: new Uint8Array(Buffer.from(inspected.identity.photo, 'base64')) }, // AVIF, as issued
        },
      );
      s.close();
      const out = path.join(tmp.dir, 'demo1.pdf');
      expectOk(proofdesk(['records', 'pdf', 'demo1', '--out', out, '--key-file', keyFile, '--store', store]));
      expect(pdfText(out)).not.toContain('Photo format not supported');

      const rendered = spawnSync('pdftoppm', ['-r', '150', '-png', out, path.join(tmp.dir, 'page')], { encoding: 'utf8' });
      expect(rendered.status, rendered.stderr).toBe(0);
      const pages = fs.readdirSync(tmp.dir).filter((f) => /^page-\d+\.png$/.test(f));
      const fromText = proofdesk(['verify', '--json', '--keys', keys, '--at', at, demo]);
      expectOk(fromText);
      const verdicts = pages.map((page) =>
        proofdesk(['verify', '--json', '--keys', keys, '--at', at, '--image', path.join(tmp.dir, page)]),
      );
      const found = verdicts.filter((v) => v.code === 0);
      expect(found).toHaveLength(1);
      expect(JSON.parse(found[0]!.stdout)).toEqual(JSON.parse(fromText.stdout));
      expect(JSON.parse(found[0]!.stdout)).toMatchObject({ verdict: 'VALID', identity: { fullName: 'Jordan Specimen' } });
    },
  );

  it('pdf without a personal copy, with the wrong key, or with no key says so in one line, exit 2', async () => {
    await seed({ personal: true });
    const out = path.join(tmp.dir, 'x.pdf');
    expectOneLineError(
      proofdesk(['records', 'pdf', 'b2', '--out', out, '--key-file', keyFile, '--store', store]),
      /check b2 has no personal copy/,
    );
    fs.writeFileSync(path.join(tmp.dir, 'other.key'), Buffer.alloc(32, 3), { mode: 0o600 });
    expectOneLineError(
      proofdesk(['records', 'pdf', 'a1', '--out', out, '--key-file', path.join(tmp.dir, 'other.key'), '--store', store]),
      /sealed with another key/,
    );
    expectOneLineError(
      proofdesk(['records', 'pdf', 'a1', '--out', out, '--store', store]),
      new RegExp(`no key file at ${tmp.dir}/.config/proofdesk/records.key`),
    );
    expectOneLineError(proofdesk(['records', 'pdf', 'nope', '--out', out, '--key-file', keyFile, '--store', store]), /no check nope/);
    expect(fs.existsSync(out)).toBe(false);
  });
});
