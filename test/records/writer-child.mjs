// A kiosk stand-in for maintenance tests: holds the store as a desk writer (serving keep/purge requests) and
// records checks while it runs. Commands on stdin, one per line:
//   append <id> <iso-time>    record a check, print "ok <id>"
//   loop <prefix>             record checks until "stop", yielding to the event loop between them (so requests
//                             are served meanwhile); odd ones dated 2020 (expired under a 30-day retention), even
//                             ones now; prints "ok <id>" after each, then "looped"
// Prints "ready <pid>" once open. Exits when stdin ends.
import { createInterface } from 'node:readline';
import { RecordStore, credentialSha256 } from '../../dist/records/index.js';

const [dir, pollMs = '50'] = process.argv.slice(2);
const store = await RecordStore.open({ dir, deskId: 'kiosk-child', retentionDays: 30, requestPollMs: Number(pollMs) });
const record = (checkId, at) => store.appendCheck({
  checkId, at, purpose: 'rent', verdict: 'VALID', reason: null, kid: 'k1', credentialSha256: credentialSha256(checkId), followUpDate: null,
});
process.stdout.write(`ready ${process.pid}\n`);
let stop = false;
async function loop(prefix) {
  for (let i = 0; !stop; i++) {
    const id = `${prefix}-${i}`;
    record(id, i % 2 ? new Date(Date.UTC(2020, 0, 1, 0, 0, 0, i)).toISOString() : new Date().toISOString());
    process.stdout.write(`ok ${id}\n`);
    await new Promise((r) => setImmediate(r));
  }
  process.stdout.write('looped\n');
}
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const [cmd, a, b] = line.split(' ');
  if (cmd === 'append') {
    record(a, b);
    process.stdout.write(`ok ${a}\n`);
  } else if (cmd === 'loop') void loop(a);
  else if (cmd === 'stop') stop = true;
});
lines.on('close', () => store.close());
