// Child process for the crash and concurrency tests: imports FILE into STORE using the compiled trust store.
// With "crash", it SIGKILLs itself after the new file is durable and before the rename that commits it.
import { readFileSync } from 'node:fs';
import { importTrustBytes } from '../../dist/trust/index.js';

const [dir, file, mode, now] = process.argv.slice(2);
const opts = { now: Number(now) };
if (mode === 'crash') opts.beforeCommit = () => process.kill(process.pid, 'SIGKILL');
const result = await importTrustBytes(dir, readFileSync(file), opts);
process.stdout.write(JSON.stringify(result) + '\n');
