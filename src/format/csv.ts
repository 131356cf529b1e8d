import { Buffer } from 'node:buffer';
import { fieldValue } from '../record.js';
import type { PostField } from '../types.js';
import type { Formatter } from './formatter.js';
import { marks } from './byte-scan.js';
import { RepeatedText, utf8, utf8IntoPlain } from './utf8.js';
import type { OutputBuffer } from './output-buffer.js';

/**
 * CSV (RFC 4180), byte for byte what csv-stringify writes with the options below (a property test
 * holds it to that). `excel` adds what Excel needs: a UTF-8 BOM, CRLF, and a `'` before cells that
 * a spreadsheet would run as a formula.
 *
 * ```js
 * { record_delimiter: excel ? 'windows' : 'unix', quoted_match: /[\r\n]/, escape_formulas: excel,
 *   cast: { string: (v) => (excel && v.startsWith('\n') ? `'${v}` : v) }, bom: excel }
 * ```
 *
 * Written here rather than through csv-stringify because the excerpt, most of every row, stays the
 * UTF-8 bytes the parser gave: csv-stringify would need it decoded to a string and encoded back,
 * which took most of the time of `-f csv`.
 */
export function csvFormatter(fields: readonly PostField[], excel: boolean): Formatter {
  const rowEnd = utf8(excel ? '\r\n' : '\n');
  // Authors and sources repeat from row to row: each encoded once.
  const repeated = { author: new RepeatedText((value) => csvText(value, excel)), source: new RepeatedText((value) => csvText(value, excel)) };
  return {
    start(out) {
      out.text(`${excel ? '\uFEFF' : ''}${fields.map((field) => csvText(field, excel)).join(',')}`);
      out.copy(rowEnd, 0, rowEnd.length);
    },
    write(posts, out) {
      // Each cell written into the output as it comes: a row's text gathered in one string, then
      // encoded, took a tenth of `-f csv` (measured, issue 17).
      for (const post of posts) {
        for (let i = 0; i < fields.length; i++) {
          if (i > 0) out.byte(0x2c);
          const field = fields[i] as PostField;
          // The record's own fields by name (a field looked up by a variable key costs more, measured).
          switch (field) {
            case 'excerpt':
              writeCsvBytes(out, post.excerptUtf8, excel);
              break;
            case 'author':
            case 'source': {
              const bytes = repeated[field].of(post[field]);
              out.copy(bytes, 0, bytes.length);
              break;
            }
            case 'title':
              writeCsvText(out, post.title, excel);
              break;
            case 'date':
              writeCsvText(out, post.date, excel);
              break;
            case 'url':
              if (post.url !== null) writeCsvText(out, post.url, excel);
              break;
            case 'readers':
              writeCsvNumber(out, post.readers);
              break;
            case 'id':
              writeCsvNumber(out, post.id);
              break;
            case 'line':
              writeCsvNumber(out, post.line);
              break;
            default: {
              const value = fieldValue(post, field);
              if (typeof value === 'number') out.number(value);
              else if (typeof value === 'string') writeCsvText(out, value, excel);
              else if (value !== null) out.text(csvText(value.join('; '), excel));
            }
          }
        }
        out.copy(rowEnd, 0, rowEnd.length);
      }
    },
    finish() {},
  };
}

// A cell is quoted when it holds a quote, the delimiter or a line break (CR or LF, whichever the
// record delimiter: csv-stringify's `quoted_match: /[\r\n]/`); a quote inside is doubled.
const QUOTED = /[",\r\n]/;

/**
 * What a spreadsheet reads as a formula: csv-stringify's `escape_formulas` list (= + - @ TAB CR and
 * the full-width ＝ ＋ － ＠), and a leading LF, which it does not guard.
 */
const FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r', '\n', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20'];
const FORMULA_CODES = new Set(FORMULA_STARTS.map((c) => c.charCodeAt(0)));
const FORMULA_BYTES = FORMULA_STARTS.map(utf8);

function csvText(value: string, excel: boolean): string {
  const cell = excel && FORMULA_CODES.has(value.charCodeAt(0)) ? `'${value}` : value;
  return QUOTED.test(value) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/** Numbers never need quotes, and csv-stringify guards no number, not even a negative one; null is an empty cell. */
function writeCsvNumber(out: OutputBuffer, n: number | null): void {
  if (n !== null) out.number(n);
}

/** What makes `csvText` quote a cell. */
const QUOTED_BYTES = marks('",\r\n');

/** `csvText(value)` in UTF-8: a cell that needs neither quotes nor a guard (a title, a date: nearly always) is encoded as it is checked. */
function writeCsvText(out: OutputBuffer, value: string, excel: boolean): void {
  if (!excel || !FORMULA_CODES.has(value.charCodeAt(0))) {
    out.reserve(3 * value.length);
    const end = utf8IntoPlain(value, out.bytes, out.length, QUOTED_BYTES);
    if (end !== -1) {
      out.length = end;
      return;
    }
  }
  out.text(csvText(value, excel));
}

function startsFormula(src: Uint8Array): boolean {
  return FORMULA_BYTES.some((start) => start.every((b, i) => src[i] === b));
}

/**
 * `csvText` on UTF-8 bytes (the excerpt), written to `out` without decoding them. The bytes that
 * matter are found by `indexOf` (memchr): an excerpt of several paragraphs is always quoted, and
 * holds few quotes, if any.
 */
export function writeCsvBytes(out: OutputBuffer, src: Uint8Array, excel: boolean): void {
  const n = src.length;
  const guard = excel && n > 0 && startsFormula(src);
  const bytes = Buffer.from(src.buffer, src.byteOffset, n);
  if (bytes.indexOf(0x0a) === -1 && bytes.indexOf(0x22) === -1 && bytes.indexOf(0x2c) === -1 && bytes.indexOf(0x0d) === -1) {
    if (guard) out.byte(0x27);
    out.copy(src, 0, n);
    return;
  }
  out.byte(0x22);
  if (guard) out.byte(0x27);
  let run = 0;
  for (let quote = bytes.indexOf(0x22); quote !== -1; quote = bytes.indexOf(0x22, quote + 1)) {
    out.copy(src, run, quote + 1);
    out.byte(0x22);
    run = quote + 1;
  }
  out.copy(src, run, n);
  out.byte(0x22);
}
