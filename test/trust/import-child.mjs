// Child process for the crash and concurrency tests: imports FILE into STORE using the compiled trust store.
// With "crash", it SIGKILLs itself after the new file is durable and before the rename that commits it.
// A refusal prints its code and exits 2.
import { readFileSync } from 'node:fs';
import { importTrustBytes } from '../../dist/trust/index.js';

const [dir, file, mode, now] = process.argv.slice(2);
const opts = { now: Number(now) };
if (mode === 'crash') opts.beforeCommit = () => process.kill(process.pid, 'SIGKILL');
try {
  const result = await importTrustBytes(dir, readFileSync(file), opts);
  process.stdout.write(JSON.stringify(result) + '\n');
} catch (err) {
  process.stdout.write(JSON.stringify({ refused: err.code ?? 'ERROR', message: err.message }) + '\n');
  process.exit(2);
}
