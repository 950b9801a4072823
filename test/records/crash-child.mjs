// Crash-test writer: records checks in a loop (every third with a personal copy, every fifth followed by a
// likeness answer) and prints "ok <checkId>" after each call returns, until it is killed.
import { RecordStore, credentialSha256 } from '../../dist/records/index.js';

const [dir, keyFile, prefix] = process.argv.slice(2);
const store = await RecordStore.open({ dir, deskId: 'crash-desk', retentionDays: 30, personalCopy: { keyFile } });
process.stdout.write(`ready ${store.recoveredTornBytes}\n`);
for (let i = 0; ; i++) {
  const checkId = `${prefix}-${i}`;
  const text = `CREDENTIAL-${checkId}-`.padEnd(600, 'X');
  const rec = {
    checkId,
    at: new Date(Date.UTC(2026, 10, 23, 10, 0, 0, i)).toISOString(),
    purpose: 'work',
    verdict: i % 4 === 0 ? 'NOT VALID' : 'VALID',
    reason: i % 4 === 0 ? 'SIGNATURE_INVALID' : null,
    kid: 'k1',
    credentialSha256: credentialSha256(text),
    followUpDate: null,
  };
  const personal = i % 3 === 0 ? { credentialText: text, fullName: `Person ${i}`, photo: { data: new Uint8Array(2000).fill(i & 0xff) } } : undefined;
  store.appendCheck(rec, personal);
  process.stdout.write(`ok ${checkId}\n`);
  if (i % 5 === 0) {
    store.appendLikeness(checkId, 'yes');
    process.stdout.write(`likeness ${checkId}\n`);
  }
}
