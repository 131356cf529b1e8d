import { csvFormatter } from './csv.js';
import type { Formatter } from './formatter.js';
import { jsonFormatter, jsonLinesFormatter } from './json.js';
import { markdownFormatter, markdownTableFormatter } from './markdown.js';
import type { PostField } from '../types.js';

export type Format = 'json' | 'jsonl' | 'csv' | 'md';
export const FORMATS: readonly Format[] = ['json', 'jsonl', 'csv', 'md'];

export interface FormatOptions {
  format: Format;
  fields: readonly PostField[];
  /** JSON on one line. */
  compact: boolean;
  /** CSV for Excel: BOM, CRLF, formula guard. */
  excel: boolean;
  /** Markdown as a GFM table. */
  table: boolean;
}

export function createFormatter(o: FormatOptions): Formatter {
  switch (o.format) {
    case 'json':
      return jsonFormatter(o.fields, o.compact);
    case 'jsonl':
      return jsonLinesFormatter(o.fields);
    case 'csv':
      return csvFormatter(o.fields, o.excel);
    case 'md':
      return o.table ? markdownTableFormatter(o.fields) : markdownFormatter(o.fields);
  }
}

/** Every name of a format, as `-f` takes it and as an output's extension gives it (any case). */
const FORMAT_NAMES = new Map<string, Format>([
  ['json', 'json'],
  ['jsonl', 'jsonl'],
  ['ndjson', 'jsonl'],
  ['csv', 'csv'],
  ['md', 'md'],
  ['markdown', 'md'],
]);

/** The format `name` names (`JSON`, `ndjson`, `markdown`), or null. */
export function formatNamed(name: string): Format | null {
  return FORMAT_NAMES.get(name.toLowerCase()) ?? null;
}

/** The format an output file's extension names, or null. */
export function formatOfPath(path: string): Format | null {
  const ext = /\.([A-Za-z]+)$/.exec(path)?.[1];
  return ext === undefined ? null : formatNamed(ext);
}
