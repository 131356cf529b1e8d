import { Option, type Command } from 'commander';
import { usageError } from '../errors.js';
import { FORMATS, formatOfPath, type Format } from '../format/index.js';
import { resolveEncoding } from '../input/decode.js';
import { INPUT_TYPES, type InputType } from '../input/kinds.js';
import type { ReadOptions } from '../input/read-by-kind.js';
import type { Reporter, Verbosity } from './report.js';
// Format and selection flags (below).
import type { FormatOptions } from '../format/index.js';
import { TABLE_FIELDS } from '../format/markdown.js';
import { normalizeDate } from '../parse/header.js';
import { ALL_FIELDS, POST_FIELDS } from '../record.js';
import { SORT_KEYS, type SelectOptions, type SortKey } from '../select.js';
import type { PostField } from '../types.js';
import type { Summary } from '../pipeline.js';
import { inputCount, SKIP_CODES, skippedCount, type FileTally, type SkipCode } from '../input/file-tally.js';
// Output on stdout (below).
import { Buffer } from 'node:buffer';
import type { Writable } from 'node:stream';
import { OutputClosedError } from '../errors.js';
import { StreamSink } from '../output/stream.js';

/** Flags shared by every command that reads inputs, as commander hands them over. */
export interface InputFlags {
  encoding: string;
  inputType: InputType;
  exclude: string[];
  strict?: true;
  quiet?: true;
  verbose?: true;
}

export function addInputOptions(command: Command): Command {
  return command
    .option(
      '--encoding <name>',
      "read inputs in encoding NAME: auto (a BOM, a page's <meta charset>, UTF-8, else GB18030), utf-8, gbk, big5, utf-16le, cp437, ...",
      'auto',
    )
    .addOption(
      new Option(
        '--input-type <type>',
        'read every input as TYPE (auto: each by its first bytes, its name a hint only: dumps, pages, feeds; gzip, Brotli, tar, WARC and MHTML are opened first)',
      )
        .choices(INPUT_TYPES)
        .default('auto'),
    )
    .option(
      '--exclude <glob>',
      'in folders and globs, skip the files GLOB matches, as a .gitignore line does, against the path below the folder (repeatable)',
      (glob: string, globs: string[]) => [...globs, glob],
      [] as string[],
    )
    .option('--strict', 'treat warnings as errors (exit 1)')
    .addOption(new Option('-q, --quiet', 'show errors only').conflicts('verbose'))
    .option('-v, --verbose', 'also show skipped page noise, each file skipped with its reason, and a summary');
}

export interface InputSettings {
  read: ReadOptions;
  /** `--exclude` patterns. */
  exclude: readonly string[];
  strict: boolean;
  verbosity: Verbosity;
}

export function inputSettings(flags: InputFlags): InputSettings {
  return {
    read: { encoding: resolveEncoding(flags.encoding), inputType: flags.inputType },
    exclude: flags.exclude,
    strict: flags.strict === true,
    verbosity: flags.quiet ? 'quiet' : flags.verbose ? 'verbose' : 'normal',
  };
}

const formatOption = (outputFlag = '-o'): Option =>
  new Option('-f, --format <format>', `write records as FORMAT (default: the one ${outputFlag}'s extension names; json without ${outputFlag})`).choices(
    FORMATS,
  );

/** `-f` if given, else what `-o`'s extension names, else JSON. */
export function chooseFormat(format: Format | undefined, output: string | undefined): Format {
  if (format !== undefined) return format;
  if (output === undefined) return 'json';
  const inferred = formatOfPath(output);
  if (inferred === null) throw usageError(`cannot tell the output format from "${output}"; add -f ${FORMATS.join('|')}`);
  return inferred;
}

/** Appended to every command's --help. */
export const EXIT_CODES = `
Exit status:
  0  success
  1  a data problem: no post found, an input that could not be read, an output that could not be written
     or already exists, --strict warnings
  2  a usage error: unknown flag, bad value`;

// ---------------------------------------------------------------------------------------------
// Output format flags (parse, convert).

export interface FormatFlags {
  format?: Format;
  compact?: true;
  excel?: true;
  table?: true;
}

/** `-f` and the flags of particular formats; `outputFlag` names the output whose extension gives the default. */
export function addFormatOptions(command: Command, outputFlag?: string): Command {
  return command
    .addOption(formatOption(outputFlag))
    .option('--compact', 'with -f json: write the array on one line')
    .option('--excel', "with -f csv: write for Excel (UTF-8 BOM, CRLF, a ' before formula-like cells)")
    .option('--table', 'with -f md: write a GFM table (title, author, date, readers)');
}

/** The output format (from `-f`, else `output`'s extension) and the fields it shows unless `--fields` says otherwise. */
export function formatSettings(flags: FormatFlags, output: string | undefined): { format: Omit<FormatOptions, 'fields'>; fields: readonly PostField[] } {
  const format = chooseFormat(flags.format, output);
  for (const [flag, needs] of [
    ['compact', 'json'],
    ['excel', 'csv'],
    ['table', 'md'],
  ] as const) {
    if (flags[flag] && format !== needs) throw usageError(`--${flag} applies to -f ${needs} output, not ${format}`);
  }
  return {
    format: { format, compact: flags.compact === true, excel: flags.excel === true, table: flags.table === true },
    fields: flags.table ? TABLE_FIELDS : POST_FIELDS,
  };
}

// ---------------------------------------------------------------------------------------------
// Selection flags (parse, convert, split, stats).

export interface SelectFlags {
  fields?: string;
  since?: string;
  until?: string;
  author?: string;
  minReaders?: string;
  grep?: string;
  series?: string;
  sort?: SortKey;
  reverse?: true;
  limit?: string;
  dedupe?: true;
}

/** Adds the selection flags; `--fields` only where the output has columns to choose. */
export function addSelectOptions(command: Command, { fields }: { fields: boolean }): Command {
  if (fields) command.option('--fields <list>', `write only these fields, comma-separated, in this order: ${ALL_FIELDS.join(',')}`);
  return command
    .option('--since <date>', 'keep posts dated DATE (YYYY-MM-DD) or later')
    .option('--until <date>', 'keep posts dated DATE or earlier')
    .option('--author <name>', 'keep posts by NAME (any case or character width)')
    .option('--min-readers <n>', 'keep posts with at least N readers')
    .option('--grep <text>', 'keep posts whose title or excerpt contains TEXT (case-sensitive)')
    .option('--series <name>', 'keep posts of the series NAME, e.g. 生成扩散模型漫谈 (from titles such as "生成扩散模型漫谈(一):...")')
    .addOption(new Option('--sort <key>', 'sort posts by KEY, ascending (holds them in memory until every input is read)').choices(SORT_KEYS))
    .option('--reverse', 'with --sort: sort in descending order')
    .option('--limit <n>', 'keep at most N posts (after the filters and the sort)')
    .option(
      '--dedupe',
      'keep one of repeated posts (same archive id, else same title and date): the most complete copy (an article page over a ' +
        "listing's excerpt, then the most readers), in the place of the first; holds one copy of each post until the inputs end",
    );
}

/** The selection flags, checked: a bad value is a usage error (exit 2). */
export function selectOptions(flags: SelectFlags, defaultFields: readonly PostField[]): SelectOptions {
  const since = flags.since === undefined ? null : dateValue('--since', flags.since);
  const until = flags.until === undefined ? null : dateValue('--until', flags.until);
  if (since !== null && until !== null && since > until) throw usageError(`--since ${since} is after --until ${until}: no post could match`);
  if (flags.reverse && flags.sort === undefined) throw usageError('--reverse applies to --sort; add --sort date|readers|title');
  return {
    fields: flags.fields === undefined ? defaultFields : fieldList(flags.fields),
    since,
    until,
    author: flags.author === undefined ? null : textValue('--author', flags.author),
    minReaders: flags.minReaders === undefined ? null : wholeNumber('--min-readers', flags.minReaders, 0),
    grep: flags.grep === undefined ? null : textValue('--grep', flags.grep),
    series: flags.series === undefined ? null : textValue('--series', flags.series),
    sort: flags.sort ?? null,
    reverse: flags.reverse === true,
    limit: flags.limit === undefined ? null : wholeNumber('--limit', flags.limit, 0),
    dedupe: flags.dedupe === true,
  };
}

/** A whole number of at least `min` in decimal digits, else a usage error naming the flag. */
export function wholeNumber(flag: string, value: string, min: number): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min)
    throw usageError(`${flag} expects a whole number ${min === 0 ? '(0 or more)' : `of ${min} or more`}, not "${value}"`);
  return n;
}

function dateValue(flag: string, value: string): string {
  const date = normalizeDate(value.trim());
  if (date === null) throw usageError(`${flag} expects a real date as YYYY-MM-DD, not "${value}"`);
  return date;
}

function textValue(flag: string, value: string): string {
  if (value.trim() === '') throw usageError(`${flag} expects a non-empty text`);
  return value;
}

function fieldList(value: string): PostField[] {
  const names = value.split(',').map((name) => name.trim());
  const fields: PostField[] = [];
  for (const name of names) {
    const field = ALL_FIELDS.find((f) => f === name);
    if (field === undefined) throw usageError(`--fields: unknown field "${name}"; the fields are ${ALL_FIELDS.join(', ')}`);
    if (fields.includes(field)) throw usageError(`--fields: "${name}" is named twice`);
    fields.push(field);
  }
  return fields;
}

// ---------------------------------------------------------------------------------------------
// Words for counts.

/** `1 post`, `2 posts`, `2,041 files`. */
export function count(n: number, noun: string): string {
  return `${number(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** A count with thousands separators, as a person reads it: `2,041` (not `toLocaleString`, whose first call loads ICU data: 70 ms). */
function number(n: number): string {
  const digits = String(n);
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let at = out.length; at < digits.length; at += 3) out += `,${digits.slice(at, at + 3)}`;
  return out;
}

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
  const parts = [`${number(files.read)} read${files.withoutPosts > 0 ? ` (${number(files.withoutPosts)} without a post)` : ''}`];
  for (const code of SKIP_CODES) {
    const n = files.skipped[code];
    if (n > 0) parts.push(`${number(n)} ${SKIP_WORDS[code][n === 1 ? 0 : 1]}`);
  }
  if (files.failed > 0) parts.push(`${number(files.failed)} failed`);
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
  return `${count(posts, 'post')} ${posts === 1 ? 'appears' : 'appear'} more than once (${number(copies)} copies); --dedupe keeps one`;
}

/** The `-v` summary of a run: `8 posts, 3 selected, 0 warnings, 0 errors`. */
export function runNote(summary: Summary): string {
  const selected = summary.selected === summary.posts ? '' : `, ${summary.selected} selected`;
  return `${count(summary.posts, 'post')}${selected}, ${count(summary.warnings, 'warning')}, ${count(summary.errors, 'error')}`;
}

// ---------------------------------------------------------------------------------------------
// A command's whole output on stdout (schema, stats, check).

/** Writes `text` to stdout; a reader that went away (`| head -1`) ends it quietly. */
export async function writeOutput(stdout: Writable, text: string): Promise<void> {
  const sink = new StreamSink(stdout);
  try {
    await sink.write(Buffer.from(text, 'utf8'));
    await sink.close();
  } catch (e) {
    if (!(e instanceof OutputClosedError)) throw e;
  }
}
