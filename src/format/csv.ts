import { createRequire } from 'node:module';
import type { Options, stringify as Stringify } from 'csv-stringify/sync';
import { fieldValue, toPost } from '../record.js';
import type { PostField } from '../types.js';
import type { Formatter } from './formatter.js';

/**
 * CSV (RFC 4180) through csv-stringify. `excel` adds what Excel needs: a UTF-8 BOM, CRLF, and a `'`
 * before cells that a spreadsheet would run as a formula.
 */
export function csvFormatter(fields: readonly PostField[], excel: boolean): Formatter {
  // Loaded here, synchronously, so that other formats do not pay for it at start-up.
  const { stringify } = createRequire(import.meta.url)('csv-stringify/sync') as { stringify: typeof Stringify };
  const options: Options = {
    record_delimiter: excel ? 'windows' : 'unix',
    // csv-stringify quotes a field holding its record delimiter; with CRLF a lone LF would slip through.
    quoted_match: /[\r\n]/,
    escape_formulas: excel,
    // escape_formulas covers = + - @ TAB CR and their full-width forms, but not a leading LF.
    ...(excel ? { cast: { string: (value: string) => (value.startsWith('\n') ? `'${value}` : value) } } : {}),
  };
  return {
    start(out) {
      out.text(stringify([fields], { ...options, bom: excel }));
    },
    write(posts, out) {
      const rows = posts.map((raw) => {
        const post = toPost(raw);
        return fields.map((field) => {
          const value = field === 'excerpt' ? post.excerpt : fieldValue(post, field);
          return Array.isArray(value) ? value.join('; ') : value;
        });
      });
      out.text(stringify(rows, options));
    },
    finish() {},
  };
}
