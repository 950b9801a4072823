// Child process for the crash and concurrency tests: imports FILE into STORE using the compiled trust store.
// With "crash", it SIGKILLs itself after the new file is durable and before the rename that commits it.
// With "probe:GO:INSIDE", it waits until the file GO exists (so many children start together), and while it holds
// the store lock it creates INSIDE exclusively, stays 40 ms, and removes it: finding INSIDE already there means two
// importers held the lock at once ("overlap" in the output).
// A refusal prints its code and exits 2.
import { readFileSync, existsSync, writeFileSync, unlinkSync } from 'node:fs';
import { importTrustBytes } from '../../dist/trust/index.js';

const [dir, file, mode, now] = process.argv.slice(2);
const opts = { now: Number(now) };
let overlap = false;
if (mode === 'crash') opts.beforeCommit = () => process.kill(process.pid, 'SIGKILL');
if (mode.startsWith('probe:')) {
  const [, go, inside] = mode.split(':');
  const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  while (!existsSync(go)) pause(2);
  opts.beforeCommit = () => {
    try {
      writeFileSync(inside, String(process.pid), { flag: 'wx' });
    } catch {
      overlap = true;
      return;
    }
    pause(40);
    unlinkSync(inside);
  };
}
try {
  const result = await importTrustBytes(dir, readFileSync(file), opts);
  process.stdout.write(JSON.stringify({ ...result, overlap }) + '\n');
} catch (err) {
  process.stdout.write(JSON.stringify({ refused: err.code ?? 'ERROR', message: err.message, overlap }) + '\n');
  process.exit(2);
}
