import * as fs from 'node:fs';
import * as path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_WORTH_STATEMENT, RecordStore, evidencePdf, type PersonalCopy } from '../../src/records/index.js';
import { credentialText, newCheck, personalCopy, tempDir } from './helpers.js';
import { pdfSkipNote, pdfText, pdfToolsPresent, prepareQrReader, qrTextsOnPage, requirePdfTools } from './pdf-tools.js';

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
      'Zofia Kowalczyk-Brennan', '1988-04-17', 'EU Settlement Scheme: settled status', 'Right to rent: yes',
      DEFAULT_WORTH_STATEMENT, 'lettings-desk-2', '23 November 2026', '14:05:09', '2026-11-23T14:05:09Z',
      'Yes - the checker confirmed the photo is of the person present.', 'VALID', '2027-11-23', 'proofdesk verify --image',
    ]) expect(text).toContain(expected);

    const doc = await PDFDocument.load(fs.readFileSync(out));
    expect(doc.getPageCount()).toBeLessThanOrEqual(2); // the QR moves to page 2 when page 1 would print it too small
    // two images: the photo and the QR
    const images = fs.readFileSync(out).toString('latin1').match(/\/Subtype\s*\/Image/g) ?? [];
    expect(images.length).toBe(2);
  });

  it('uses the deployment\'s own statement; prints names in any script its Unicode font covers', async () => {
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
    const copy = { ...(await personalCopy()), rightChecked: '' };
    const dir = path.join(tmp.dir, 'store');
    const store = await RecordStore.open({ dir, deskId: 'hr-desk', retentionDays: 400, personalCopy: { keyFile: path.join(tmp.dir, 'k') } });
    store.appendCheck({ ...newCheck('coa-1', '2026-11-23T14:05:09Z', copy.credentialText), verdict: 'CHECK MANUALLY', reason: 'PENDING_APPLICATION', purpose: 'work' }, copy);
    const out = path.join(tmp.dir, 'coa.pdf');
    fs.writeFileSync(out, await evidencePdf(store.get('coa-1')!, store.readPersonal('coa-1')));
    store.close();
    const text = pdfText(out);
    expect(text).toContain('CHECK MANUALLY: The person has an application pending (certificate of application): the right is temporary.');
    expect(text).toContain('Use the Employer or Landlord Checking Service to confirm the right.');
    expect(text).toContain('purpose: work'); // an empty "right checked" falls back to the desk's purpose
    expect(text).toContain(DEFAULT_WORTH_STATEMENT);
  });

  it('says when the photo cannot be shown, and still makes the PDF', async () => {
    const copy = { ...(await personalCopy()), photo: { data: new Uint8Array([0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 1, 2, 3]), subFormat: 3 } };
    const { check, stored } = await makeRecord(copy);
    const out = path.join(tmp.dir, 'evidence.pdf');
    fs.writeFileSync(out, await evidencePdf(check, stored));
    expect(pdfText(out)).toContain('Photo format not supported');
    expect(await qrTextsOnPage(out)).toEqual([credentialText()]);
  });
});
