import type { Diagnostic, DiagnosticCode } from '../types.js';

/** Why an input was passed over, in the order a summary names them. */
export const SKIP_CODES = ['UP_TO_DATE', 'PAGE_RESOURCE', 'NOT_A_PAGE', 'EXCLUDED', 'HIDDEN', 'LINK_NOT_FOLLOWED'] as const satisfies readonly DiagnosticCode[];
export type SkipCode = (typeof SKIP_CODES)[number];

/**
 * What became of a run's inputs: each file (an archive counts as its members) was read, skipped
 * (and why), or failed before it could be read (missing, binary, an output that exists).
 */
export interface FileTally {
  /** Inputs read as a kind that gives records. */
  read: number;
  /** Of those, the ones met in a folder or an archive that held no post. */
  withoutPosts: number;
  skipped: Record<SkipCode, number>;
  failed: number;
}

export const emptyTally = (): FileTally => ({
  read: 0,
  withoutPosts: 0,
  skipped: { UP_TO_DATE: 0, PAGE_RESOURCE: 0, NOT_A_PAGE: 0, EXCLUDED: 0, HIDDEN: 0, LINK_NOT_FOLLOWED: 0 },
  failed: 0,
});

/** Counts a note that an input was skipped, or held no post; other diagnostics leave the tally as it is. */
export function tallyNote(tally: FileTally, d: Diagnostic): void {
  if (d.severity !== 'info') return;
  if (d.code === 'NO_POSTS' || d.code === 'EMPTY_INPUT') tally.withoutPosts++;
  else if ((SKIP_CODES as readonly DiagnosticCode[]).includes(d.code)) tally.skipped[d.code as SkipCode]++;
}

export function addTally(total: FileTally, part: FileTally): void {
  total.read += part.read;
  total.withoutPosts += part.withoutPosts;
  total.failed += part.failed;
  for (const code of SKIP_CODES) total.skipped[code] += part.skipped[code];
}

/** Inputs skipped, whatever the reason. */
export function skippedCount(tally: FileTally): number {
  return SKIP_CODES.reduce((n, code) => n + tally.skipped[code], 0);
}

/** Every input counted: read, skipped or failed. */
export function inputCount(tally: FileTally): number {
  return tally.read + skippedCount(tally) + tally.failed;
}
