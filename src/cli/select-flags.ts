/** The selection flags of parse, convert, split and stats, checked into `SelectOptions`. */
import { type Command, Option } from 'commander';
import { flagError } from '../errors.js';
import { normalizeDate } from '../parse/header.js';
import { ALL_FIELDS } from '../record.js';
import { SORT_KEYS, type SelectOptions, type SortKey } from '../select.js';
import type { PostField } from '../types.js';

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
  command.optionsGroup('Selection options:');
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

/**
 * The selection flags, checked: a bad value is a usage error (exit 2). Series are computed when the
 * output shows them, or when `withSeries` (a command that needs them whatever the fields).
 */
export function selectOptions(flags: SelectFlags, defaultFields: readonly PostField[], withSeries = false): SelectOptions {
  const since = flags.since === undefined ? null : dateValue('--since', flags.since);
  const until = flags.until === undefined ? null : dateValue('--until', flags.until);
  if (since !== null && until !== null && since > until) throw flagError({ fault: 'since-after-until', since, until });
  if (flags.reverse && flags.sort === undefined) throw flagError({ fault: 'reverse-without-sort', keys: SORT_KEYS });
  const fields = flags.fields === undefined ? defaultFields : fieldList(flags.fields);
  return {
    fields,
    withSeries: withSeries || fields.includes('series') || fields.includes('part'),
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
  if (!Number.isSafeInteger(n) || n < min) throw flagError({ fault: 'not-a-number', flag, value, min });
  return n;
}

function dateValue(flag: string, value: string): string {
  const date = normalizeDate(value.trim());
  if (date === null) throw flagError({ fault: 'not-a-date', flag, value });
  return date;
}

function textValue(flag: string, value: string): string {
  if (value.trim() === '') throw flagError({ fault: 'empty-text', flag });
  return value;
}

function fieldList(value: string): PostField[] {
  const names = value.split(',').map((name) => name.trim());
  const fields: PostField[] = [];
  for (const name of names) {
    const field = ALL_FIELDS.find((f) => f === name);
    if (field === undefined) throw flagError({ fault: 'unknown-field', field: name, fields: ALL_FIELDS });
    if (fields.includes(field)) throw flagError({ fault: 'field-twice', field: name });
    fields.push(field);
  }
  return fields;
}
