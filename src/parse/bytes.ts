import type { Buffer } from 'node:buffer';

// White space in UTF-8 bytes: ASCII blanks, NBSP (C2 A0) and the ideographic space U+3000 (E3 80 80).

/** Index of the first byte at or after `i` that is not white space. */
export function skipSpace(buf: Buffer, i: number, end: number): number {
  while (i < end) {
    const b = buf[i];
    if (b === 0x20 || b === 0x09 || b === 0x0b || b === 0x0c) i++;
    else if (b === 0xc2 && buf[i + 1] === 0xa0) i += 2;
    else if (b === 0xe3 && buf[i + 1] === 0x80 && buf[i + 2] === 0x80) i += 3;
    else break;
  }
  return i;
}

/** `end`, moved back over trailing white space (not below `start`). */
export function skipSpaceBack(buf: Buffer, start: number, end: number): number {
  while (end > start) {
    const b = buf[end - 1];
    if (b === 0x20 || b === 0x09 || b === 0x0b || b === 0x0c) end--;
    else if (b === 0xa0 && end - 2 >= start && buf[end - 2] === 0xc2) end -= 2;
    else if (b === 0x80 && end - 3 >= start && buf[end - 2] === 0x80 && buf[end - 3] === 0xe3) end -= 3;
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
