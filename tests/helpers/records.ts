/** What makes an emitted record and a diagnostic valid, whatever the input was (SPEC §3, §8); records read in pieces. */
import type { Diagnostic, ParseResult, Post } from '../../src/index.js';
import { toPost } from '../../src/record.js';
import { RecordReader } from '../../src/input/read-by-kind.js';
import { FIELDS as KEYS } from './read-back.js';

const ENRICHMENT = ['series', 'part', 'categories', 'tags'];
const CODES = new Set([
  'BROKEN_HEADER',
  'NO_TITLE',
  'SKIPPED_NOISE',
  'SKIPPED_POST',
  'HTML_PAGE',
  'TEXT_LAYOUT',
  'NO_POSTS',
  'EMPTY_INPUT',
  'BINARY_INPUT',
  'NOT_A_PAGE',
  'CORRUPT_INPUT',
  'LINE_TOO_LONG',
  'PAGE_TOO_LARGE',
  'UNDECODABLE',
]);

const isText = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const oneLine = (v: string): boolean => !/[\r\n]/u.test(v);

/** A `YYYY-MM-DD` that names a day of the calendar (no 2021-02-30). */
function isRealDate(v: unknown): boolean {
  if (!isText(v) || !/^\d{4}-\d{2}-\d{2}$/u.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/** Everything wrong with a record as a reader of the output would see it (empty when it is valid). */
export function recordProblems(record: unknown, source: string): string[] {
  if (typeof record !== 'object' || record === null) return ['not an object'];
  const r = record as Record<string, unknown>;
  const problems: string[] = [];
  const keys = Object.keys(r);
  if (keys.slice(0, KEYS.length).join() !== KEYS.join() || !keys.slice(KEYS.length).every((k) => ENRICHMENT.includes(k))) problems.push(`keys ${keys}`);
  const { title, author, date, readers, excerpt, url, id, line } = r;
  if (!isText(title) || title === '' || title !== title.trim() || !oneLine(title)) problems.push(`title ${JSON.stringify(title)}`);
  if (!isText(author) || author === '' || author !== author.trim() || !oneLine(author)) problems.push(`author ${JSON.stringify(author)}`);
  if (!isRealDate(date)) problems.push(`date ${JSON.stringify(date)}`);
  if (readers !== null && !isCount(readers)) problems.push(`readers ${JSON.stringify(readers)}`);
  if (!isText(excerpt) || excerpt.includes('\r')) problems.push(`excerpt ${JSON.stringify(excerpt)}`);
  if (url !== null && !isText(url)) problems.push(`url ${JSON.stringify(url)}`);
  if (id !== null && !isCount(id)) problems.push(`id ${JSON.stringify(id)}`);
  if (r.source !== source) problems.push(`source ${JSON.stringify(r.source)}`);
  if (typeof line !== 'number' || !Number.isSafeInteger(line) || line < 1) problems.push(`line ${JSON.stringify(line)}`);
  return problems;
}

/** Everything wrong with a diagnostic about one input (empty when it is valid). */
export function diagnosticProblems(d: Diagnostic, source: string): string[] {
  const problems: string[] = [];
  if (!CODES.has(d.code)) problems.push(`code ${d.code}`);
  if (!['error', 'warning', 'info'].includes(d.severity)) problems.push(`severity ${d.severity}`);
  if (d.source !== source) problems.push(`source ${d.source}`);
  if (d.line !== null && !(Number.isSafeInteger(d.line) && d.line >= 1)) problems.push(`line ${d.line}`);
  if (d.endLine !== null && (d.line === null || d.endLine < d.line)) problems.push(`endLine ${d.endLine}`);
  if (!oneLine(d.detail)) problems.push(`detail over several lines ${JSON.stringify(d.detail)}`);
  return problems.map((p) => `${d.code}: ${p}`);
}

/** One RecordReader fed `pieces` in turn, as standard input (each batch of posts copied before the next push reuses its memory). */
export function readPieces(pieces: readonly Uint8Array[], encoding: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const reader = new RecordReader({ source: '-', encoding, onDiagnostic: (d) => diagnostics.push(d) });
  const posts: Post[] = [];
  for (const piece of pieces) posts.push(...reader.push(piece).map(toPost));
  posts.push(...reader.end().map(toPost));
  return { posts, diagnostics };
}
