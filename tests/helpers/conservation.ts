/**
 * SPEC §8, "nothing lost silently", as a check that needs no knowledge of the input's shape: given a
 * text dump's decoded text and what the parser made of it, every non-blank line must end in exactly
 * one place — a post's span (its title line, its header line, then its excerpt lines up to the next
 * title or skipped range) or one reported SKIPPED_NOISE range — and each post must hold exactly the
 * lines of its span. Broken and title-less headers are warnings about lines inside such a place.
 */
import type { ParseResult } from '../../src/index.js';

// Blank as the parser sees it: white space only (JavaScript's `\s`, what `trim` removes).
const BLANK = /^\s*$/u;

/** Every way `result` fails to account for the lines of `text` (empty when every line is in exactly one place). */
export function unaccounted(text: string, { posts, diagnostics }: ParseResult): string[] {
  const lines = text.replace(/^\uFEFF/u, '').split(/\r\n|\r|\n/u);
  const at = (n: number): string => lines[n - 1] ?? '';
  const blank = (n: number): boolean => BLANK.test(at(n));
  const quote = (n: number): string => JSON.stringify(at(n).slice(0, 60));
  const problems: string[] = [];
  // Who holds each line (1-based), once a line is placed.
  const owner = new Array<string | null>(lines.length + 2).fill(null);
  const claim = (n: number, who: string): void => {
    if (n < 1 || n > lines.length) problems.push(`${who}: line ${n} is outside the input (${lines.length} lines)`);
    else if (owner[n] !== null) problems.push(`line ${n} ${quote(n)} is in ${owner[n]} and in ${who}`);
    else owner[n] = who;
  };

  const skipped = diagnostics.filter((d) => d.code === 'SKIPPED_NOISE');
  skipped.forEach((d, k) => {
    const who = `skipped range ${k} (${d.line}-${d.endLine})`;
    if (d.line === null || d.endLine === null || d.endLine < d.line) {
      problems.push(`${who}: not a line range`);
      return;
    }
    if (blank(d.line) || blank(d.endLine)) problems.push(`${who}: starts or ends on a blank line`);
    for (let n = d.line; n <= d.endLine; n++) if (!blank(n)) claim(n, who);
  });

  posts.forEach((p, i) => {
    let title = p.line - 1;
    while (title >= 1 && blank(title)) title--;
    if (title < 1) problems.push(`post ${i} (header at line ${p.line}) has no line above its header`);
    else if (at(title).trim() !== p.title) problems.push(`post ${i}: title ${JSON.stringify(p.title)} is not its title line ${quote(title)}`);
    claim(title, `post ${i}'s title`);
    claim(p.line, `post ${i}'s header`);
  });

  // A post's excerpt runs from its header to the next line already placed: a title or a skipped range.
  posts.forEach((p, i) => {
    const body: string[] = [];
    for (let n = p.line + 1; n <= lines.length && owner[n] === null; n++) {
      if (blank(n)) continue;
      body.push(at(n));
      owner[n] = `post ${i}'s excerpt`;
    }
    const tail = body.join('\n');
    if (p.excerpt === tail) return;
    // Else the excerpt also starts with the rest of the header line (after 引用 and white space).
    const rest = body.length === 0 ? p.excerpt : p.excerpt.endsWith(`\n${tail}`) ? p.excerpt.slice(0, -tail.length - 1) : null;
    if (rest === null || rest === '' || rest.includes('\n') || /^\s/u.test(rest) || !at(p.line).endsWith(rest)) {
      problems.push(`post ${i}: excerpt ${JSON.stringify(p.excerpt.slice(0, 80))} is not the lines of its span ${JSON.stringify(tail.slice(0, 80))}`);
    }
  });

  for (let n = 1; n <= lines.length; n++) {
    if (owner[n] === null && !blank(n)) problems.push(`line ${n} ${quote(n)} is in no post and in no skipped range`);
  }
  for (const d of diagnostics) {
    if (d.code !== 'BROKEN_HEADER' && d.code !== 'NO_TITLE') continue;
    const where = d.line === null ? null : owner[d.line];
    if (where == null || !/excerpt|skipped/u.test(where)) problems.push(`${d.code} at line ${d.line} is not about an excerpt or skipped line (${where})`);
  }
  return problems;
}
