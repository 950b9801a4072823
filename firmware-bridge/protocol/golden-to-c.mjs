// Turns golden.json into a C header for the C unit tests (so the C side reads the very same vectors).
// Usage: node golden-to-c.mjs golden.json > golden_vectors.h
import { readFileSync } from 'node:fs';

const golden = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const bytes = (hex) => (hex.match(/../g) ?? []).map((b) => `0x${b}`).join(',');
const str = (s) => JSON.stringify(s);
const out = [];
out.push('/* Generated from protocol/golden.json by protocol/golden-to-c.mjs. Do not edit. */');
out.push('#include <stddef.h>\n#include <stdint.h>');
out.push('struct golden_good { const char *name; uint8_t type, seq; const uint8_t *payload; size_t payload_len; const uint8_t *wire; size_t wire_len; };');
out.push('struct golden_bad { const char *name; const char *layer; const uint8_t *wire; size_t wire_len; uint8_t nak_seq, nak_code; const uint8_t *nak_wire; size_t nak_wire_len; };');
out.push(`#define GOLDEN_PROTOCOL ${golden.protocol}`);
out.push(`#define GOLDEN_CRC_INPUT ${str(golden.crcCheck.asciiInput)}`);
out.push(`#define GOLDEN_CRC ${golden.crcCheck.crc}u`);
const good = [];
const bad = [];
golden.vectors.forEach((v, i) => {
  if (v.bad) {
    out.push(`static const uint8_t bad_wire_${i}[] = {${bytes(v.frameHex)}};`);
    out.push(`static const uint8_t bad_nak_${i}[] = {${bytes(v.bad.nakFrameHex)}};`);
    bad.push(`{${str(v.name)}, ${str(v.bad.layer)}, bad_wire_${i}, ${v.frameHex.length / 2}, ${v.bad.nakSeq}, ${v.bad.nakCode}, bad_nak_${i}, ${v.bad.nakFrameHex.length / 2}}`);
  } else {
    out.push(`static const uint8_t good_payload_${i}[] = {${bytes(v.payloadHex) || '0'}};`);
    out.push(`static const uint8_t good_wire_${i}[] = {${bytes(v.frameHex)}};`);
    good.push(`{${str(v.name)}, ${v.type}, ${v.seq}, good_payload_${i}, ${v.payloadHex.length / 2}, good_wire_${i}, ${v.frameHex.length / 2}}`);
  }
});
out.push(`static const struct golden_good GOLDEN_GOOD[] = {\n  ${good.join(',\n  ')}\n};`);
out.push(`static const struct golden_bad GOLDEN_BAD[] = {\n  ${bad.join(',\n  ')}\n};`);
out.push('#define GOLDEN_GOOD_COUNT (sizeof GOLDEN_GOOD / sizeof GOLDEN_GOOD[0])');
out.push('#define GOLDEN_BAD_COUNT (sizeof GOLDEN_BAD / sizeof GOLDEN_BAD[0])');
process.stdout.write(out.join('\n') + '\n');
