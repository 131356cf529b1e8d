/** The output format flags of parse and convert (-f, --compact, --excel, --table), and what they become. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { flagError } from '../errors.js';
import { FORMATS, formatNamed, formatOfPath, type Format, type FormatOptions } from '../format/index.js';
import { TABLE_FIELDS } from '../format/markdown.js';
import { POST_FIELDS } from '../record.js';
import type { PostField } from '../types.js';

const formatOption = (outputFlag = '-o'): Option =>
  new Option(
    '-f, --format <format>',
    `write records as FORMAT: json, jsonl (or ndjson), csv, md (or markdown), any case (default: the one ${outputFlag}'s extension names; json without ${outputFlag})`,
  ).argParser((name: string) => {
    const format = formatNamed(name);
    if (format === null) throw new InvalidArgumentError('Allowed choices are json, jsonl (or ndjson), csv, md (or markdown).');
    return format;
  });

/** `-f` if given, else what `-o`'s extension names, else JSON. */
export function chooseFormat(format: Format | undefined, output: string | undefined): Format {
  if (format !== undefined) return format;
  if (output === undefined) return 'json';
  const inferred = formatOfPath(output);
  if (inferred === null) throw flagError({ fault: 'unknown-format', output, formats: FORMATS });
  return inferred;
}

export interface FormatFlags {
  format?: Format;
  compact?: true;
  excel?: true;
  table?: true;
}

/** `-f` and the flags of particular formats; `outputFlag` names the output whose extension gives the default. */
export function addFormatOptions(command: Command, outputFlag?: string): Command {
  return command
    .optionsGroup('Format options:')
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
    if (flags[flag] && format !== needs) throw flagError({ fault: 'format-only', flag: `--${flag}`, format: needs, given: format });
  }
  return {
    format: { format, compact: flags.compact === true, excel: flags.excel === true, table: flags.table === true },
    fields: flags.table ? TABLE_FIELDS : POST_FIELDS,
  };
}
