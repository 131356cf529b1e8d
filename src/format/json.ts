import { Buffer } from 'node:buffer';
import { fieldValue, type RawPost } from '../record.js';
import type { PostField } from '../types.js';
import type { Formatter } from './formatter.js';
import { copyRun, wordsOf } from './byte-scan.js';
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
}

const COMPACT: Style = { firstItem: '', nextItem: ',', firstKey: '{"', nextKey: ',"', colon: '":', close: '}' };
const PRETTY_IN_ARRAY: Style = { firstItem: '\n  ', nextItem: ',\n  ', firstKey: '{\n    "', nextKey: ',\n    "', colon: '": ', close: '\n  }' };

/**
 * Writes one record as a JSON object. The text around the excerpt is gathered into one string per
 * stretch (few, larger writes); values that repeat from post to post (author, source) are escaped once.
 */
class RecordWriter {
  readonly style: Style;
  private readonly fields: readonly PostField[];
  /** What comes before each field's value: `{"title":` or `,"author":`. */
  private readonly keys: string[];
  private readonly repeated = new Map<unknown, string>();

  constructor(fields: readonly PostField[], style: Style) {
    this.style = style;
    this.fields = fields;
    this.keys = fields.map((field, i) => (i === 0 ? style.firstKey : style.nextKey) + field + style.colon);
  }

  write(post: RawPost, out: OutputBuffer): void {
    let text = '';
    for (let i = 0; i < this.fields.length; i++) {
      const field = this.fields[i] as PostField;
      text += this.keys[i];
      if (field === 'excerpt') {
        out.text(text);
        text = '';
        writeJsonString(out, post.excerptUtf8);
      } else if (field === 'author' || field === 'source') {
        text += this.repeatedJson(post[field]);
      } else {
        text += JSON.stringify(fieldValue(post, field));
      }
    }
    out.text(text + this.style.close);
  }

  private repeatedJson(value: string): string {
    let json = this.repeated.get(value);
    if (json === undefined) {
      // Bounded: a run has few authors and sources.
      if (this.repeated.size > 64) this.repeated.clear();
      json = JSON.stringify(value);
      this.repeated.set(value, json);
    }
    return json;
  }
}

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
        while (w < end && !wordNeedsEscape(words[w] as number)) w++;
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
