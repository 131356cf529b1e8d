import type { Buffer } from 'node:buffer';

// White space in UTF-8 bytes: what JavaScript's `\s` and `trim` know (the header grammar's `\s`, a
// title's `trim`), so that a line the parser calls blank is one whose trimmed text is empty. ASCII
// blanks (LF and CR end lines), NBSP (C2 A0), U+1680 (E1 9A 80), U+2000-U+200A, U+2028, U+2029,
// U+202F (E2 80 80-8A, A8, A9, AF), U+205F (E2 81 9F), U+3000 (E3 80 80) and U+FEFF (EF BB BF).

/** Length in bytes of the white space character at `i`, or 0 when there is none. */
function spaceAt(buf: Buffer, i: number, end: number): number {
  const b = buf[i];
  if (b === 0x20 || b === 0x09 || b === 0x0b || b === 0x0c) return 1;
  if (b === undefined || b < 0xc2 || i + 1 >= end) return 0;
  const b1 = buf[i + 1] as number;
  if (b === 0xc2) return b1 === 0xa0 ? 2 : 0;
  if (i + 2 >= end) return 0;
  const b2 = buf[i + 2] as number;
  switch (b) {
    case 0xe1:
      return b1 === 0x9a && b2 === 0x80 ? 3 : 0;
    case 0xe2:
      if (b1 === 0x80) return b2 <= 0x8a || b2 === 0xa8 || b2 === 0xa9 || b2 === 0xaf ? 3 : 0;
      return b1 === 0x81 && b2 === 0x9f ? 3 : 0;
    case 0xe3:
      return b1 === 0x80 && b2 === 0x80 ? 3 : 0;
    case 0xef:
      return b1 === 0xbb && b2 === 0xbf ? 3 : 0;
    default:
      return 0;
  }
}

/** Index of the first byte at or after `i` that is not white space. */
export function skipSpace(buf: Buffer, i: number, end: number): number {
  while (i < end) {
    const n = spaceAt(buf, i, end);
    if (n === 0) break;
    i += n;
  }
  return i;
}

/** `end`, moved back over trailing white space (not below `start`). */
export function skipSpaceBack(buf: Buffer, start: number, end: number): number {
  while (end > start) {
    if (spaceAt(buf, end - 1, end) === 1) end--;
    else if (end - 2 >= start && spaceAt(buf, end - 2, end) === 2) end -= 2;
    else if (end - 3 >= start && spaceAt(buf, end - 3, end) === 3) end -= 3;
    else break;
  }
  return end;
}

export function isBlank(buf: Buffer, start: number, end: number): boolean {
  return skipSpace(buf, start, end) >= end;
}

/** `i`, moved back to the start of the UTF-8 character it falls in. */
export function charBoundary(buf: Buffer, i: number): number {
  while (i > 0 && ((buf[i] as number) & 0xc0) === 0x80) i--;
  return i;
}

/** An ASCII letter in lower case (other bytes as they are): English noise is matched whatever its case. */
function fold(b: number): number {
  return b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
}

/**
 * A list of phrases to find a line's text among, in UTF-8 bytes, English case-insensitively: each
 * line costs a look-up of its first byte and a compare with the few phrases that start with it.
 */
export class Phrases {
  private readonly byFirst: (Uint8Array[] | undefined)[] = new Array(256);
  /** The longest phrase, in bytes: a longer line is none of them (`is`). */
  readonly longest: number;

  constructor(phrases: readonly string[]) {
    let longest = 0;
    for (const phrase of phrases) {
      const bytes = new TextEncoder().encode(phrase).map(fold);
      const first = bytes[0] as number;
      const list = this.byFirst[first] ?? [];
      list.push(bytes);
      this.byFirst[first] = list;
      longest = Math.max(longest, bytes.length);
    }
    this.longest = longest;
  }

  /** Whether `buf[start, end)` is one of the phrases. */
  is(buf: Uint8Array, start: number, end: number): boolean {
    return this.find(buf, start, end, true) !== -1;
  }

  /** The length of the phrase `buf[start, end)` starts with, or -1. */
  prefix(buf: Uint8Array, start: number, end: number): number {
    return this.find(buf, start, end, false);
  }

  private find(buf: Uint8Array, start: number, end: number, whole: boolean): number {
    if (start >= end) return -1;
    const list = this.byFirst[fold(buf[start] as number)];
    if (list === undefined) return -1;
    for (const phrase of list) {
      if (whole ? phrase.length !== end - start : phrase.length > end - start) continue;
      let i = 1;
      while (i < phrase.length && fold(buf[start + i] as number) === phrase[i]) i++;
      if (i === phrase.length) return phrase.length;
    }
    return -1;
  }
}
