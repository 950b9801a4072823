// Purge-crash child: opens the store for maintenance, says "ready", waits for a line on stdin, then purges.
import { RecordStore } from '../../dist/records/index.js';

const [dir, now] = process.argv.slice(2);
const store = RecordStore.openForMaintenance({ dir });
process.stdout.write('ready\n');
process.stdin.once('data', () => {
  const { removed } = store.purge(new Date(now));
  process.stdout.write(`done ${removed}\n`);
  store.close();
  process.exit(0);
});
