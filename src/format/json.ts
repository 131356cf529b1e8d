import { Buffer } from 'node:buffer';
import { fieldValue, type RawPost } from '../record.js';
import type { PostField } from '../types.js';
import type { Formatter } from './formatter.js';
import { ALL_HIGH, copyRun, marks, wordsOf } from './byte-scan.js';
import { RepeatedText, utf8, utf8IntoPlain } from './utf8.js';
import type { OutputBuffer } from './output-buffer.js';

/** JSON: one array, 2-space indent (or one line with `compact`), byte for byte what `JSON.stringify` gives. */
export function jsonFormatter(fields: readonly PostField[], compact: boolean): Formatter {
  const record = new RecordWriter(fields, compact ? COMPACT : PRETTY_IN_ARRAY);
  let first = true;
  return {
    start(out) {
      out.text('[');
    },
    write(posts, out) {
      for (const post of posts) {
        out.text(first ? record.style.firstItem : record.style.nextItem);
        first = false;
        record.write(post, out);
      }
    },
    finish(out) {
      out.text(first || compact ? ']\n' : '\n]\n');
    },
  };
}

/** JSON Lines: one compact record per line, each an independent JSON value. */
export function jsonLinesFormatter(fields: readonly PostField[]): Formatter {
  const record = new RecordWriter(fields, COMPACT);
  return {
    start() {},
    write(posts, out) {
      for (const post of posts) {
        record.write(post, out);
        out.byte(0x0a);
      }
    },
    finish() {},
  };
}

interface Style {
  firstItem: string;
  nextItem: string;
  firstKey: string;
  nextKey: string;
  colon: string;
  close: string;
  /** A value's own line breaks (a list's, pretty), each followed by the record's indentation; null on one line. */
  valueIndent: string | null;
}

const COMPACT: Style = { firstItem: '', nextItem: ',', firstKey: '{"', nextKey: ',"', colon: '":', close: '}', valueIndent: null };
const PRETTY_IN_ARRAY: Style = {
  firstItem: '\n  ',
  nextItem: ',\n  ',
  firstKey: '{\n    "',
  nextKey: ',\n    "',
  colon: '": ',
  close: '\n  }',
  valueIndent: '\n    ',
};

/**
 * Writes one record as a JSON object, straight into bytes: the keys are encoded once, the strings
 * of a record (title, date) are written as `JSON.stringify` would write them and encoded in the
 * same pass, numbers digit by digit, and values that repeat from post to post (author, source) are
 * encoded once. (Building one string per record and encoding it took a quarter of `-f jsonl`:
 * measured, issue 17.)
 */
class RecordWriter {
  readonly style: Style;
  private readonly fields: readonly PostField[];
  /** What comes before each field's value, in UTF-8: `{"title":` or `,"author":`. */
  private readonly keys: Uint8Array[];
  private readonly close: Uint8Array;
  private readonly authors = new RepeatedText(JSON.stringify);
  private readonly sources = new RepeatedText(JSON.stringify);

  constructor(fields: readonly PostField[], style: Style) {
    this.style = style;
    this.fields = fields;
    this.keys = fields.map((field, i) => utf8((i === 0 ? style.firstKey : style.nextKey) + field + style.colon));
    this.close = utf8(style.close);
  }

  write(post: RawPost, out: OutputBuffer): void {
    for (let i = 0; i < this.fields.length; i++) {
      const key = this.keys[i] as Uint8Array;
      out.copy(key, 0, key.length);
      const field = this.fields[i] as PostField;
      switch (field) {
        case 'excerpt':
          writeJsonString(out, post.excerptUtf8);
          break;
        case 'title':
          writeJsonText(out, post.title);
          break;
        case 'author':
          this.writeRepeated(out, this.authors, post.author);
          break;
        case 'date':
          writeJsonText(out, post.date);
          break;
        case 'readers':
          writeJsonNumber(out, post.readers);
          break;
        case 'id':
          writeJsonNumber(out, post.id);
          break;
        case 'source':
          this.writeRepeated(out, this.sources, post.source);
          break;
        case 'url':
          if (post.url === null) out.copy(NULL, 0, NULL.length);
          else writeJsonText(out, post.url);
          break;
        case 'line':
          writeJsonNumber(out, post.line);
          break;
        default:
          out.text(this.json(fieldValue(post, field)));
      }
    }
    out.copy(this.close, 0, this.close.length);
  }

  /** A value as `JSON.stringify` writes it inside the record: a list pretty, one item a line, when the record is. */
  private json(value: unknown): string {
    const indent = this.style.valueIndent;
    return indent === null ? JSON.stringify(value) : JSON.stringify(value, null, 2).replaceAll('\n', indent);
  }

  private writeRepeated(out: OutputBuffer, repeated: RepeatedText, value: string): void {
    const bytes = repeated.of(value);
    out.copy(bytes, 0, bytes.length);
  }
}

/** A number or null as `JSON.stringify` writes it. */
function writeJsonNumber(out: OutputBuffer, n: number | null): void {
  if (n === null) out.copy(NULL, 0, NULL.length);
  else out.number(n);
}

const NULL = utf8('null');

/**
 * A string as `JSON.stringify` writes it, in UTF-8. Text without a character that needs an escape
 * or a surrogate (a title, a date: nearly always) is encoded as it is, between quotes; other text
 * goes through `JSON.stringify`.
 */
function writeJsonText(out: OutputBuffer, text: string): void {
  out.reserve(3 * text.length + 2);
  const dst = out.bytes;
  dst[out.length] = 0x22;
  const end = utf8IntoPlain(text, dst, out.length + 1, NEEDS_ESCAPE);
  if (end === -1) return out.text(JSON.stringify(text));
  dst[end] = 0x22;
  out.length = end + 1;
}

/** The ASCII characters JSON escapes: control characters, quote, backslash. */
const NEEDS_ESCAPE = marks('"\\', (b) => b < 0x20);

// The JSON escape of each byte that needs one (control characters, quote, backslash), as JSON.stringify writes it.
const ESCAPES: Uint8Array[] = [];
for (let b = 0; b < 0x20; b++) ESCAPES[b] = Buffer.from(JSON.stringify(String.fromCharCode(b)).slice(1, -1));
for (const b of [0x22, 0x5c]) ESCAPES[b] = Buffer.from(JSON.stringify(String.fromCharCode(b)).slice(1, -1));

/**
 * Writes UTF-8 bytes as a JSON string without decoding them: only `"`, `\` and control bytes need
 * escaping, and every other byte (multi-byte characters included) is copied as is. This loop sees
 * most of a dump, so clean stretches are found four bytes at a time (SWAR on an Int32Array view, an
 * exact test for these bytes: faster here than `nextMarked`, measured) and copied whole, and LaTeX's
 * many backslashes cost a few stores each, not a call.
 */
export function writeJsonString(out: OutputBuffer, src: Uint8Array): void {
  const words = wordsOf(src.buffer);
  const n = src.length;
  const offset = src.byteOffset;
  // Whole words cover src[first, last); bytes outside them are checked one by one.
  const first = Math.min(n, (4 - (offset & 3)) & 3);
  const last = first + ((n - first) & ~3);
  // Room for the quotes and some escapes; more is made only when escapes are dense.
  out.reserve(n + (n >>> 3) + 8);
  let dst = out.bytes;
  let at = out.length;
  dst[at++] = 0x22;
  let run = 0;
  let i = 0;
  for (;;) {
    // Find the next byte that needs an escape.
    for (; i < n; i++) {
      if (i >= first && i < last && ((i - first) & 3) === 0) {
        let w = (offset + i) >>> 2;
        const end = (offset + last) >>> 2;
        // Four bytes from 0x80 on (Chinese text, mostly) need no escape: one test, before the exact one.
        for (; w < end; w++) {
          const x = words[w] as number;
          if ((x & ALL_HIGH) !== ALL_HIGH && wordNeedsEscape(x)) break;
        }
        i = (w << 2) - offset;
        if (i >= n) break;
      }
      const b = src[i] as number;
      if (b < 0x20 || b === 0x22 || b === 0x5c) break;
    }
    at = copyRun(dst, at, src, run, Math.min(i, n));
    if (i >= n) break;
    if (at + 6 + (n - i) > dst.length) {
      out.length = at;
      out.reserve(6 + (n - i) + (n >>> 3));
      dst = out.bytes;
    }
    const b = src[i] as number;
    if (b === 0x22 || b === 0x5c) {
      dst[at++] = 0x5c;
      dst[at++] = b;
    } else {
      const sequence = ESCAPES[b] as Uint8Array;
      for (let k = 0; k < sequence.length; k++) dst[at++] = sequence[k] as number;
    }
    run = ++i;
  }
  dst[at++] = 0x22;
  out.length = at;
}

/** Whether any of four bytes is below 0x20, `"` or `\` (the classic has-less / has-zero bit tricks). */
function wordNeedsEscape(x: number): boolean {
  const quote = x ^ 0x22222222;
  const slash = x ^ 0x5c5c5c5c;
  return ((((x - 0x20202020) & ~x) | ((quote - 0x01010101) & ~quote) | ((slash - 0x01010101) & ~slash)) & 0x80808080) !== 0;
}
