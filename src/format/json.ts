import { fieldValue, type RawPost } from '../record.js';
import type { PostField } from '../types.js';
import type { Formatter } from './formatter.js';
import type { OutputBuffer } from './output-buffer.js';

/** JSON: one array, 2-space indent (or one line with `compact`), byte for byte what `JSON.stringify` gives. */
export function jsonFormatter(fields: readonly PostField[], compact: boolean): Formatter {
  let first = true;
  const style = compact ? COMPACT : PRETTY_IN_ARRAY;
  return {
    start(out) {
      out.text('[');
    },
    write(posts, out) {
      for (const post of posts) {
        out.text(first ? style.firstItem : style.nextItem);
        first = false;
        writeObject(out, post, fields, style);
      }
    },
    finish(out) {
      out.text(first || compact ? ']\n' : '\n]\n');
    },
  };
}

/** JSON Lines: one compact record per line, each an independent JSON value. */
export function jsonLinesFormatter(fields: readonly PostField[]): Formatter {
  return {
    start() {},
    write(posts, out) {
      for (const post of posts) {
        writeObject(out, post, fields, COMPACT);
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

function writeObject(out: OutputBuffer, post: RawPost, fields: readonly PostField[], style: Style): void {
  // Fields are gathered into one string per stretch between excerpts: few, larger writes.
  let text = '';
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as PostField;
    text += (i === 0 ? style.firstKey : style.nextKey) + field + style.colon;
    if (field === 'excerpt') {
      out.text(text);
      text = '';
      writeJsonString(out, post.excerptUtf8);
    } else {
      text += JSON.stringify(fieldValue(post, field));
    }
  }
  out.text(text + style.close);
}

// The JSON escape of each byte that needs one (control characters, quote, backslash), as JSON.stringify writes it.
const ESCAPES: string[] = [];
for (let b = 0; b < 0x20; b++) ESCAPES[b] = `\\u${b.toString(16).padStart(4, '0')}`;
Object.assign(ESCAPES, { 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0c: '\\f', 0x0d: '\\r', 0x22: '\\"', 0x5c: '\\\\' });

/**
 * Writes UTF-8 bytes as a JSON string without decoding them: only `"`, `\` and control bytes need
 * escaping, and every other byte (multi-byte characters included) is copied as is. Clean stretches
 * are found four bytes at a time (SWAR on an Int32Array view), since this loop sees most of a dump.
 */
export function writeJsonString(out: OutputBuffer, src: Uint8Array): void {
  out.byte(0x22);
  const n = src.length;
  // The word view must start at a 4-byte-aligned address; `base` bytes before it are checked one by one.
  const base = (4 - (src.byteOffset & 3)) & 3;
  const words = n >= base ? new Int32Array(src.buffer, src.byteOffset + base, (n - base) >>> 2) : EMPTY_WORDS;
  let run = 0;
  let i = 0;
  while (i < n) {
    if (i >= base && ((i - base) & 3) === 0) {
      let w = (i - base) >>> 2;
      while (w < words.length && !wordNeedsEscape(words[w] as number)) w++;
      i = base + (w << 2);
      if (i >= n) break;
    }
    const b = src[i] as number;
    if (b < 0x20 || b === 0x22 || b === 0x5c) {
      out.bytes(src, run, i);
      out.text(ESCAPES[b] as string);
      run = i + 1;
    }
    i++;
  }
  out.bytes(src, run, n);
  out.byte(0x22);
}

const EMPTY_WORDS = new Int32Array(0);

/** Whether any of four bytes is below 0x20, `"` or `\` (the classic has-less / has-zero bit tricks). */
function wordNeedsEscape(x: number): boolean {
  const quote = x ^ 0x22222222;
  const slash = x ^ 0x5c5c5c5c;
  return ((((x - 0x20202020) & ~x) | ((quote - 0x01010101) & ~quote) | ((slash - 0x01010101) & ~slash)) & 0x80808080) !== 0;
}
