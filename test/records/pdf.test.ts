import * as fs from 'node:fs';
import * as path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_WORTH_STATEMENT, RecordStore, evidencePdf, type PersonalCopy } from '../../src/records/index.js';
import { credentialText, newCheck, personalCopy, tempDir } from './helpers.js';
import { pdfSkipNote, pdfText, pdfToolsPresent, prepareQrReader, qrTextsOnPage, requirePdfTools, wordsPastRightEdge } from './pdf-tools.js';

requirePdfTools();

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => prepareQrReader());
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

async function makeRecord(copy: PersonalCopy, likeness?: 'yes' | 'no') {
  const dir = path.join(tmp.dir, 'store');
  const keyFile = path.join(tmp.dir, 'records.key');
  const store = await RecordStore.open({ dir, deskId: 'lettings-desk-2', retentionDays: 400, personalCopy: { keyFile } });
  store.appendCheck({ ...newCheck('chk-1', '2026-11-23T14:05:09Z', copy.credentialText), followUpDate: '2027-11-23' }, copy);
  if (likeness) store.appendLikeness('chk-1', likeness);
  const check = store.get('chk-1')!;
  const stored = store.readPersonal('chk-1');
  store.close();
  return { check, stored };
}

describe.runIf(pdfToolsPresent)(`evidence PDF${pdfSkipNote}`, () => {
  it('holds the photo, the facts, the worth statement, and a QR that decodes to the exact credential text', async () => {
    const copy = await personalCopy();
    const { check, stored } = await makeRecord(copy, 'yes');
    const out = path.join(tmp.dir, 'evidence.pdf');
    fs.writeFileSync(out, await evidencePdf(check, stored, { now: new Date('2026-11-24T08:00:00Z') }));

    expect(await qrTextsOnPage(out)).toEqual([credentialText()]);
    const text = pdfText(out);
    for (const expected of [
      'Zofia Kowalczyk-Brennan',
      '17 April 1988',
      'Settled status (EU Settlement Scheme)',
      'No end date (indefinite)',
      'passport *4821',
      'Right to rent in England: shown by the signed code (Rent: may rent in England), and the checker confirmed the photo.',
      DEFAULT_WORTH_STATEMENT,
      'lettings-desk-2',
      '23 November 2026',
      '14:05:09',
      '2026-11-23T14:05:09Z',
      'Yes — the checker confirmed the photo is of the person present.',
      'VALID',
      'None needed: the permission has no end date.',
      'proofdesk verify --image',
    ])
      expect(text).toContain(expected);
    expect(text).not.toContain('DEMO');

    const doc = await PDFDocument.load(fs.readFileSync(out));
    expect(doc.getPageCount()).toBeLessThanOrEqual(2); // the QR moves to page 2 when page 1 would print it too small
    // two images: the photo and the QR
    const images =
      fs
        .readFileSync(out)
        .toString('latin1')
        .match(/\/Subtype\s*\/Image/g) ?? [];
    expect(images.length).toBe(2);
  });

  it("uses the deployment's own statement; prints names in any script its Unicode font covers", async () => {
    const copy = { ...(await personalCopy()), fullName: 'Łucja Ștefănescu Ωμέγα Жанна' };
    const { check, stored } = await makeRecord(copy);
    const out = path.join(tmp.dir, 'evidence.pdf');
    fs.writeFileSync(out, await evidencePdf(check, stored, { statement: 'Pilot scheme: this check counts under the 2027 order.' }));
    const text = pdfText(out);
    expect(text).toContain('Pilot scheme: this check counts under the 2027 order.');
    expect(text).not.toContain('statutory excuse comes only');
    expect(text).toContain('Łucja Ștefănescu Ωμέγα Жанна');
    expect(text).not.toContain('simplified');
    expect(text).toContain('No answer recorded.');
    expect(await qrTextsOnPage(out)).toEqual([credentialText()]);
  });

  it('without a Unicode font, or for a script the font lacks, simplifies the letters and says the QR is exact', async () => {
    const copy = { ...(await personalCopy()), fullName: 'Łucja Ștefănescu' };
    const { check, stored } = await makeRecord(copy);
    const out = path.join(tmp.dir, 'plain.pdf');
    fs.writeFileSync(out, await evidencePdf(check, stored, { fonts: null }));
    expect(pdfText(out)).toContain('Lucja Stefanescu');
    expect(pdfText(out)).toContain('the QR code holds the exact text');

    const cjk = { ...copy, fullName: '王小明 Wang' };
    const out2 = path.join(tmp.dir, 'cjk.pdf');
    fs.writeFileSync(out2, await evidencePdf(check, { ...stored, fullName: cjk.fullName }));
    expect(pdfText(out2)).toContain('??? Wang');
    expect(pdfText(out2)).toContain('the QR code holds the exact text');
  });

  it('a code near the QR size limit moves to its own page and still decodes at 150 dpi', async () => {
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
    let big = 'HC1:';
    for (let i = 0; big.length < 3000; i++) big += alphabet[(i * 31 + (i >> 2)) % alphabet.length];
    const copy = await personalCopy(big);
    const { check, stored } = await makeRecord(copy);
    const out = path.join(tmp.dir, 'big.pdf');
    fs.writeFileSync(out, await evidencePdf(check, stored));
    expect((await PDFDocument.load(fs.readFileSync(out))).getPageCount()).toBe(2);
    expect(pdfText(out)).toContain('The credential QR code is on the next page.');
    expect(await qrTextsOnPage(out, 150)).toEqual([big]);
  });

  it('a pending application (certificate of application) says the right is temporary and points to the checking service', async () => {
    const copy = await personalCopy();
    const pendingText = fs.readFileSync(path.join(import.meta.dirname, '../../examples/demo-pending.txt'), 'utf8').trim();
    const dir = path.join(tmp.dir, 'store');
    const store = await RecordStore.open({
      dir,
      deskId: 'hr-desk',
      retentionDays: 400,
      personalCopy: { keyFile: path.join(tmp.dir, 'k') },
    });
    store.appendCheck(
      {
        ...newCheck('coa-1', '2026-11-23T14:05:09Z', pendingText),
        verdict: 'CHECK MANUALLY',
        reason: 'PENDING_APPLICATION',
        purpose: 'work',
      },
      { ...copy, credentialText: pendingText },
    );
    const out = path.join(tmp.dir, 'coa.pdf');
    fs.writeFileSync(out, await evidencePdf(store.get('coa-1')!, store.readPersonal('coa-1')));
    store.close();
    const text = pdfText(out);
    expect(text).toContain('CHECK MANUALLY: The person has an application pending (certificate of application)');
    expect(text).toContain('Confirm the right with the Home Office Employer Checking Service');
    expect(text).not.toContain('Landlord Checking Service');
    expect(text).toContain('Right to work: NOT established by this check');
    expect(text).toContain('Not fixed: rights continue while the application is pending');
    expect(text).toContain("6 months after the Employer Checking Service's positive answer");
    expect(text).not.toMatch(/no time limit|not time-limited/);
    expect(text).toContain(DEFAULT_WORTH_STATEMENT);
  });

  it('says when the photo cannot be shown, and still makes the PDF', async () => {
    const copy = {
      ...(await personalCopy()),
      photo: { data: new Uint8Array([0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 1, 2, 3]), subFormat: 3 },
    };
    const { check, stored } = await makeRecord(copy);
    const out = path.join(tmp.dir, 'evidence.pdf');
    fs.writeFileSync(out, await evidencePdf(check, stored));
    expect(pdfText(out)).toContain('Photo format not supported');
    expect(await qrTextsOnPage(out)).toEqual([credentialText()]);
  });

  it('a revoked check asserts no right, no status and no follow-up; a DEMO check says DEMO on every page', async () => {
    const copy = await personalCopy();
    const dir = path.join(tmp.dir, 'store');
    const store = await RecordStore.open({
      dir,
      deskId: 'lettings-desk-2',
      retentionDays: 400,
      personalCopy: { keyFile: path.join(tmp.dir, 'k') },
    });
    store.appendCheck(
      {
        ...newCheck('rev-1', '2026-11-23T14:05:09Z', copy.credentialText),
        verdict: 'NOT VALID',
        reason: 'REVOKED',
        outcome: 'NOT_VALID',
        demo: true,
      },
      copy,
    );
    const out = path.join(tmp.dir, 'revoked.pdf');
    fs.writeFileSync(out, await evidencePdf(store.get('rev-1')!, store.readPersonal('rev-1')));
    store.close();
    const text = pdfText(out);
    expect(text).toContain('Right to rent in England: asked, NOT established. The issuer has revoked this code.');
    expect(text).toContain('Not established by this check');
    expect(text).toContain('None: this check did not establish a right.');
    expect(text).toContain('Not asked: the code did not pass its check.');
    expect(text).not.toMatch(/may rent|Settled status|Check again/);
    const pages = (await PDFDocument.load(fs.readFileSync(out))).getPageCount();
    expect(text.match(/DEMO - not a real check/g)?.length).toBe(pages);
    expect(text).toContain('DEMO - made with demonstration keys: this is not a real check');
  });

  it('"No, not them": PHOTO DOES NOT MATCH, the right not established, and the checker\'s name and reference from the sealed copy', async () => {
    const copy = { ...(await personalCopy()), checkerName: 'Priya Shah', reference: 'TEN-2026-0042', referenceLabel: 'Tenancy reference' };
    const { check, stored } = await makeRecord(copy, 'no');
    const out = path.join(tmp.dir, 'mismatch.pdf');
    fs.writeFileSync(out, await evidencePdf(check, stored));
    const text = pdfText(out);
    for (const expected of [
      'PHOTO DOES NOT MATCH',
      'Do not accept this code for this person',
      'NOT established — the checker said the photo is not of the person',
      'NO — the checker said the photo is NOT of the person present.',
      'Checked by',
      'Priya Shah',
      'Tenancy reference',
      'TEN-2026-0042',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('Check the photo is of the person');
  });

  it('says when revocation was not checked (the desk held keys only), and prints no revocation row where the record says nothing', async () => {
    const copy = await personalCopy();
    const store = await RecordStore.open({
      dir: path.join(tmp.dir, 'store'),
      deskId: 'lettings-desk-2',
      retentionDays: 400,
      personalCopy: { keyFile: path.join(tmp.dir, 'k') },
    });
    store.appendCheck({ ...newCheck('rev-unchecked', '2026-11-23T14:05:09Z', copy.credentialText), revocation: 'not-checked' }, copy);
    store.appendCheck({ ...newCheck('rev-silent', '2026-11-23T14:06:09Z', copy.credentialText) }, copy);
    const unchecked = path.join(tmp.dir, 'unchecked.pdf');
    const silent = path.join(tmp.dir, 'silent.pdf');
    fs.writeFileSync(unchecked, await evidencePdf(store.get('rev-unchecked')!, store.readPersonal('rev-unchecked')));
    fs.writeFileSync(silent, await evidencePdf(store.get('rev-silent')!, store.readPersonal('rev-silent')));
    store.close();
    expect(pdfText(unchecked)).toContain('Revocation (status list)');
    expect(pdfText(unchecked)).toContain('NOT CHECKED: this desk holds the issuer');
    expect(pdfText(unchecked)).toContain('Revocation was NOT checked');
    expect(pdfText(silent)).not.toMatch(/revocation/i);
  });

  it('keeps every line on the page: a DEMO check with the longest check and desk ids still shows its time and page number', async () => {
    const copy = await personalCopy();
    const store = await RecordStore.open({
      dir: path.join(tmp.dir, 'store'),
      deskId: 'd'.repeat(64),
      retentionDays: 400,
      personalCopy: { keyFile: path.join(tmp.dir, 'k') },
    });
    const longId = 'c'.repeat(64);
    store.appendCheck({ ...newCheck(longId, '2026-11-23T14:05:09Z', copy.credentialText), demo: true }, copy);
    const out = path.join(tmp.dir, 'footer.pdf');
    fs.writeFileSync(out, await evidencePdf(store.get(longId)!, store.readPersonal(longId), { now: new Date('2026-11-24T08:00:00Z') }));
    store.close();
    const text = pdfText(out);
    expect(text).toContain(`Check ${longId}`);
    expect(text).toContain('PDF made 2026-11-24T08:00:00.000Z');
    expect(text).toMatch(/Page 1 of \d/);
    expect(wordsPastRightEdge(out, 20)).toEqual([]);
  });
});
