/**
 * What the byte-level writers (JSON, CSV, Markdown) share: they read an excerpt's UTF-8 bytes
 * without decoding them, because every byte they must act on is ASCII, and a UTF-8 byte below 0x80
 * is always a whole character. Stretches with nothing to act on are found four bytes at a time (on
 * `wordsOf`'s view; CSV and Markdown with `nextMarked`) and copied whole (`copyRun`).
 */

/** The ASCII bytes a scan stops at: one flag per byte value (the bytes from 0x80 on are never set). */
export type Marks = Uint8Array;

/** Marks for the characters of `ascii` and the ASCII bytes for which `also` holds. */
export function marks(ascii: string, also?: (byte: number) => boolean): Marks {
  const table = new Uint8Array(256);
  for (let k = 0; k < ascii.length; k++) table[ascii.charCodeAt(k) & 0x7f] = 1;
  if (also !== undefined) for (let b = 0; b < 0x80; b++) if (also(b)) table[b] = 1;
  return table;
}

/**
 * Word views of the two ArrayBuffers last scanned: excerpts share a few reused slabs, and short
 * strings a scratch buffer (`utf8Of`, or Markdown's for a title and a metadata line), so a view is
 * rarely made.
 */
let words: Int32Array = new Int32Array(0);
let otherWords: Int32Array = words;

/** An Int32Array over the whole of `buffer` (its last bytes, short of a word, left out). */
export function wordsOf(buffer: ArrayBufferLike): Int32Array {
  if (words.buffer !== buffer) {
    const last = words;
    words = otherWords.buffer === buffer ? otherWords : new Int32Array(buffer, 0, buffer.byteLength >>> 2);
    otherWords = last;
  }
  return words;
}

/** Four bytes, all from 0x80 on: a piece of non-ASCII text, which holds no mark. */
export const ALL_HIGH = 0x80808080 | 0;

/**
 * The index of the first byte of `src[from, end)` that `table` marks, or `end`; `words` is
 * `wordsOf(src.buffer)`. Kexue.fm's text is mostly Chinese (three bytes from 0x80 on per
 * character), so words of four such bytes are skipped with one test, and only words that hold
 * ASCII are looked at byte by byte.
 */
export function nextMarked(src: Uint8Array, words: Int32Array, from: number, table: Marks, end = src.length): number {
  const offset = src.byteOffset;
  let i = from;
  // Bytes up to the first whole word, then whole words, then the bytes after the last.
  const firstWord = Math.min(end, i + ((4 - ((offset + i) & 3)) & 3));
  for (; i < firstWord; i++) if (table[src[i] as number] !== 0) return i;
  const lastWord = i + ((end - i) & ~3);
  if (i < lastWord) {
    for (let w = (offset + i) >>> 2, stop = (offset + lastWord) >>> 2; w < stop; w++) {
      if (((words[w] as number) & ALL_HIGH) === ALL_HIGH) continue;
      const j = (w << 2) - offset;
      if (table[src[j] as number] !== 0) return j;
      if (table[src[j + 1] as number] !== 0) return j + 1;
      if (table[src[j + 2] as number] !== 0) return j + 2;
      if (table[src[j + 3] as number] !== 0) return j + 3;
    }
    i = lastWord;
  }
  for (; i < end; i++) if (table[src[i] as number] !== 0) return i;
  return end;
}

/** Copies `src[start, end)` to `dst` at `at`; short runs byte by byte, which beats making a view. */
export function copyRun(dst: Uint8Array, at: number, src: Uint8Array, start: number, end: number): number {
  if (end - start < 32) {
    for (let k = start; k < end; k++) dst[at++] = src[k] as number;
    return at;
  }
  dst.set(start === 0 && end === src.length ? src : src.subarray(start, end), at);
  return at + end - start;
}
