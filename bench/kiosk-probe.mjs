/**
 * Memory probe for the kiosk benchmark (bench/kiosk.mjs --probe): loaded into the kiosk with `node --import`, it
 * answers SIGUSR2 with one line on stdout, `probe: {json}`, saying where the process's resident memory is:
 *   - heap: process.memoryUsage() and V8's spaces (committed vs used), after two full GCs when --expose-gc is on
 *     (bench/kiosk.mjs --probe-gc);
 *   - maps: /proc/self/smaps summed by kind — file-backed (the node binary, libvips…), [heap] (glibc's main arena,
 *     brk), [stack], and anonymous mappings split by size (64 MiB-aligned thread arenas of glibc reserve 64 MiB or
 *     132 MiB; V8's pages are 256 KiB chunks; the rest is mmap'd malloc blocks, thread stacks, wasm, …).
 * Benchmark tooling only: nothing in src/ loads it.
 */
import { readFileSync } from 'node:fs';
import * as v8 from 'node:v8';

function smaps() {
  const kinds = {};
  let cur = null;
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const size = (parseInt(head[2], 16) - parseInt(head[1], 16)) / 1024;
      const name = head[3];
      let kind;
      if (name.startsWith('/')) kind = `file:${name.split('/').pop()}`;
      else if (name) kind = name;
      else if (size >= 60 * 1024) kind = 'anon>=60MiB';
      else if (size >= 1024) kind = 'anon 1-60MiB';
      else if (size === 256) kind = 'anon 256KiB';
      else kind = 'anon<1MiB';
      cur = kinds[kind] ??= { n: 0, sizeKb: 0, rssKb: 0 };
      cur.n++;
      cur.sizeKb += size;
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss && cur) cur.rssKb += Number(rss[1]);
  }
  // Small file mappings folded together, so the line stays readable.
  const out = { files: { n: 0, rssKb: 0 } };
  for (const [k, v] of Object.entries(kinds)) {
    if (k.startsWith('file:') && v.rssKb < 1024) {
      out.files.n += v.n;
      out.files.rssKb += v.rssKb;
    } else out[k] = v;
  }
  return out;
}

process.on('SIGUSR2', () => {
  if (typeof globalThis.gc === 'function') {
    globalThis.gc();
    globalThis.gc();
  }
  const mb = (x) => Math.round((x / 1048576) * 10) / 10;
  const mu = process.memoryUsage();
  const spaces = Object.fromEntries(
    v8.getHeapSpaceStatistics().map((s) => [s.space_name, { committedMb: mb(s.physical_space_size), usedMb: mb(s.space_used_size) }]),
  );
  const report = {
    rssMb: mb(mu.rss),
    heapTotalMb: mb(mu.heapTotal),
    heapUsedMb: mb(mu.heapUsed),
    externalMb: mb(mu.external),
    arrayBuffersMb: mb(mu.arrayBuffers),
    spaces,
    maps: smaps(),
  };
  process.stdout.write(`probe: ${JSON.stringify(report)}\n`);
});
