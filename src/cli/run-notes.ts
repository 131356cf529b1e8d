/** The lines that sum a run up on stderr: what became of the inputs, repeated posts, counts. */
import { inputCount, SKIP_CODES, skippedCount, type FileTally, type SkipCode } from '../input/file-tally.js';
import type { Summary } from '../pipeline.js';
import { count, digits } from '../words.js';
import type { Reporter } from './report.js';

const SKIP_WORDS: Record<SkipCode, [one: string, many: string]> = {
  UP_TO_DATE: ['up to date', 'up to date'],
  PAGE_RESOURCE: ['resource', 'resources'],
  NOT_A_PAGE: ['not a page', 'not pages'],
  EXCLUDED: ['excluded', 'excluded'],
  HIDDEN: ['hidden', 'hidden'],
  LINK_NOT_FOLLOWED: ['link', 'links'],
};

/** Whether the run passed any input over, or met one without a post: then the summary says what became of each. */
export function skippedAny(files: FileTally): boolean {
  return skippedCount(files) > 0 || files.withoutPosts > 0;
}

/** What became of the inputs: `2,041 files: 2,000 read, 30 resources, 9 not pages, 2 excluded`. */
export function filesNote(files: FileTally): string {
  const parts = [`${digits(files.read)} read${files.withoutPosts > 0 ? ` (${digits(files.withoutPosts)} without a post)` : ''}`];
  for (const code of SKIP_CODES) {
    const n = files.skipped[code];
    if (n > 0) parts.push(`${digits(n)} ${SKIP_WORDS[code][n === 1 ? 0 : 1]}`);
  }
  if (files.failed > 0) parts.push(`${digits(files.failed)} failed`);
  return `${count(inputCount(files), 'file')}: ${parts.join(', ')}`;
}

/** What became of the inputs when any was skipped, and the posts seen more than once: a line each, unless `-q`. */
export function reportInputs(reporter: Reporter, summary: Summary): void {
  if (skippedAny(summary.files)) reporter.hint(filesNote(summary.files));
  const duplicates = duplicatesNote(summary);
  if (duplicates !== null) reporter.hint(duplicates);
}

/** `12 posts appear more than once (40 copies); --dedupe keeps one`, or null when no post did. */
export function duplicatesNote(summary: Summary): string | null {
  const { posts, copies } = summary.duplicates;
  if (posts === 0) return null;
  return `${count(posts, 'post')} ${posts === 1 ? 'appears' : 'appear'} more than once (${digits(copies)} copies); --dedupe keeps one`;
}

/** The `-v` summary of a run: `8 posts, 3 selected, 0 warnings, 0 errors`. */
export function runNote(summary: Summary): string {
  const selected = summary.selected === summary.posts ? '' : `, ${summary.selected} selected`;
  return `${count(summary.posts, 'post')}${selected}, ${count(summary.warnings, 'warning')}, ${count(summary.errors, 'error')}`;
}
