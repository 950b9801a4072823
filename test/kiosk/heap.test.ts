import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const HEAP = fileURLToPath(new URL('../../dist/kiosk/heap.js', import.meta.url));

// In a child (the compiled module, as `proofdesk run` loads it): the flag changes how that process's heap grows.
function tuneIn(nodeArgs: string[]): string {
  if (!existsSync(HEAP)) throw new Error(`${HEAP} is missing: run \`npm run build\` first (\`npm test\` does it)`);
  const script = `import(${JSON.stringify(HEAP)}).then((m) => console.log(m.tuneHeapForADesk()))`;
  const r = spawnSync(process.execPath, [...nodeArgs, '--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return r.stdout.trim();
}

describe('the desk heap setting (src/kiosk/heap.ts)', () => {
  it('is set when the command line does not name one, and left alone when it does', () => {
    expect(tuneIn([])).toBe('true');
    expect(tuneIn(['--heap-growing-percent=0'])).toBe('false');
    expect(tuneIn(['--heap_growing_percent=50'])).toBe('false');
  });
});
