/** Fold log lines into one view per check: the check line, its latest likeness answer, its latest keep-until. */
import type { FoldedCheck } from './entries.js';
import type { LogLine, ReadProblem } from './log-file.js';

export function foldChecks(lines: readonly LogLine[]): { checks: Map<string, FoldedCheck>; problems: ReadProblem[] } {
  const checks = new Map<string, FoldedCheck>();
  const problems: ReadProblem[] = [];
  for (const { line, entry } of lines) {
    if (!entry) continue;
    if (entry.type === 'check') {
      if (checks.has(entry.checkId)) problems.push({ line, problem: `check ${entry.checkId} recorded twice; later line ignored`, torn: false });
      else checks.set(entry.checkId, { ...entry });
      continue;
    }
    const check = checks.get(entry.checkId);
    if (!check) {
      problems.push({ line, problem: `${entry.type} entry for unknown check ${entry.checkId}; ignored`, torn: false });
      continue;
    }
    if (entry.type === 'likeness') check.likeness = entry.likeness;
    else if (entry.until > check.keepUntil) check.keepUntil = entry.until;
  }
  return { checks, problems };
}
