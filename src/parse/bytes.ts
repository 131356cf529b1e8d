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
    const last = buf[end - 1] as number;
    if (last === 0x20 || last === 0x09 || last === 0x0b || last === 0x0c) end--;
    // Every other white space character ends with a continuation byte: most lines end otherwise.
    else if (last < 0x80 || last > 0xbf) break;
    else if (end - 2 >= start && spaceAt(buf, end - 2, end) === 2) end -= 2;
    else if (end - 3 >= start && spaceAt(buf, end - 3, end) === 3) end -= 3;
    else break;
  }
  return end;
}

/** Whether `buf[at, end)` starts with the bytes of `pattern`. */
export function bytesAt(buf: Buffer, at: number, end: number, pattern: Uint8Array): boolean {
  if (at + pattern.length > end) return false;
  for (let k = 0; k < pattern.length; k++) if (buf[at + k] !== pattern[k]) return false;
  return true;
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
 * Which first two bytes (English case folded) lines of some kind start with: a line that starts
 * otherwise is none of them, known by one look-up in a table of 2^16 entries.
 */
export class StartGate {
  private readonly table = new Uint8Array(1 << 16);

  /** Lines may start as `text` does. */
  add(text: string): this {
    const bytes = new TextEncoder().encode(text);
    this.table[(fold(bytes[0] as number) << 8) | fold(bytes[1] ?? 0)] = 1;
    return this;
  }

  /** Lines may start with the byte `first`, whatever follows. */
  addByte(first: number): this {
    this.table.fill(1, fold(first) << 8, (fold(first) + 1) << 8);
    return this;
  }

  /** Whether `buf[start, end)` may start as one of them. */
  has(buf: Uint8Array, start: number, end: number): boolean {
    return end - start >= 2 && this.table[(fold(buf[start] as number) << 8) | fold(buf[start + 1] as number)] === 1;
  }
}

/**
 * Phrases to find a line's text among, each with a tag, in UTF-8 bytes, English case-insensitively:
 * a line that starts with two bytes none of them does costs one look-up in a table of them (most
 * lines), another a compare with the few phrases that start with its first byte.
 */
export class Phrases<T = true> {
  private readonly byFirst: ({ bytes: Uint8Array; tag: T }[] | undefined)[] = new Array(256);
  /** How the phrases start. */
  readonly gate = new StartGate();
  /** The longest phrase, in bytes: a longer line is none of them (`is`). */
  readonly longest: number;

  /** `phrases`: the phrases, or pairs of a phrase and its tag. */
  constructor(phrases: readonly (string | readonly [string, T])[]) {
    let longest = 0;
    for (const entry of phrases) {
      const [phrase, tag] = typeof entry === 'string' ? [entry, true as T] : entry;
      const bytes = new TextEncoder().encode(phrase).map(fold);
      const first = bytes[0] as number;
      const list = this.byFirst[first] ?? [];
      list.push({ bytes, tag });
      this.byFirst[first] = list;
      this.gate.add(phrase);
      longest = Math.max(longest, bytes.length);
    }
    this.longest = longest;
  }

  /** The tag of the phrase `buf[start, end)` is, or undefined. */
  is(buf: Uint8Array, start: number, end: number): T | undefined {
    return this.find(buf, start, end, true);
  }

  /** The tag of the phrase `buf[start, end)` starts with, or undefined. */
  prefix(buf: Uint8Array, start: number, end: number): T | undefined {
    return this.find(buf, start, end, false);
  }

  private find(buf: Uint8Array, start: number, end: number, whole: boolean): T | undefined {
    if (!this.gate.has(buf, start, end)) return undefined;
    const list = this.byFirst[fold(buf[start] as number)];
    if (list === undefined) return undefined;
    for (let k = 0; k < list.length; k++) {
      const { bytes, tag } = list[k] as { bytes: Uint8Array; tag: T };
      if (whole ? bytes.length !== end - start : bytes.length > end - start) continue;
      let i = 1;
      while (i < bytes.length && fold(buf[start + i] as number) === bytes[i]) i++;
      if (i === bytes.length) return tag;
    }
    return undefined;
  }
}
