// A desk process for the kill -9 tests: a real record store and shipper (the built code), killed at chosen points.
//   MODE=stream            write COUNT checks (+ likeness) while shipping; print "wrote SEQ" after each durable write
//   MODE=kill-after-write  write one check, then SIGKILL itself before the shipper gets a turn
//   MODE=kill-in-commit    ship, and SIGKILL itself inside the transaction, after the inserts, before COMMIT
//   MODE=kill-after-commit ship, and SIGKILL itself after COMMIT, before the cursor is written
//   MODE=drain             ship everything written, print "drained", exit 0
import { createHash } from 'node:crypto';
import { pino } from 'pino';
import { RecordStore } from '../../dist/records/index.js';
import { openPool } from '../../dist/central/connect.js';
import { Shipper } from '../../dist/central/shipper.js';

const { DIR, DESK, DB_URL, MODE, COUNT = '50' } = process.env;
const die = () => process.kill(process.pid, 'SIGKILL');
const real = await openPool({ url: DB_URL }, { max: 1, applicationName: 'kill test', connectTimeoutMs: 5000, queryTimeoutMs: 10000 });
const db = {
  ...real,
  target: real.target,
  async transaction(fn) {
    if (MODE === 'kill-in-commit') {
      return real.transaction(async (client) => {
        await fn(client);
        die();
        await new Promise(() => {});
      });
    }
    const out = await real.transaction(fn);
    if (MODE === 'kill-after-commit') {
      die();
      await new Promise(() => {});
    }
    return out;
  },
};
const store = await RecordStore.open({ dir: DIR, deskId: DESK, retentionDays: 365, requestPollMs: 0 });
let n = 0;
const check = () => {
  const at = new Date();
  const text = `code-${process.pid}-${++n}-${Math.random()}`;
  const id = `${at.toISOString().slice(0, 19).replace(/[-:T]/g, '')}-${process.pid}-${n}`;
  store.appendCheck({ checkId: id, at: at.toISOString(), purpose: 'work', verdict: 'VALID', reason: null, kid: 'k1', credentialSha256: createHash('sha256').update(text).digest('hex'), followUpDate: null });
  return id;
};
if (MODE === 'kill-after-write') {
  check();
  die();
}
const shipper = new Shipper({ store, deskId: DESK, db, recordsKey: null, log: pino({ level: 'silent' }), retry: { firstMs: 20, maxMs: 200 }, pollMs: 100, batchSize: 7 });
shipper.start();
if (MODE === 'kill-in-commit' || MODE === 'kill-after-commit') {
  check();
  await new Promise(() => {}); // the wrapped transaction ends this process
}
if (MODE === 'stream') {
  for (let i = 0; i < Number(COUNT); i++) {
    const id = check();
    store.appendLikeness(id, i % 2 ? 'yes' : 'not-asked');
    process.stdout.write(`wrote ${store.lastSeq}\n`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
await shipper.shipped();
process.stdout.write('drained\n');
await shipper.close();
store.close();
await real.close();
process.exit(0);
