import type { Head, SkipKind } from '../kinds.js';

/** File signatures of what scrapes hold beside pages: images, fonts, documents, archives postdump does not open. */
const SIGNATURES: readonly [what: string, magic: readonly (number | null)[]][] = [
  ['a PNG image', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['a JPEG image', [0xff, 0xd8, 0xff]],
  ['a GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['a WebP image', [0x52, 0x49, 0x46, 0x46, null, null, null, null, 0x57, 0x45, 0x42, 0x50]],
  ['an icon', [0x00, 0x00, 0x01, 0x00]],
  ['a BMP image', [0x42, 0x4d]],
  ['a WOFF font', [0x77, 0x4f, 0x46, 0x46]],
  ['a WOFF2 font', [0x77, 0x4f, 0x46, 0x32]],
  ['an OpenType font', [0x4f, 0x54, 0x54, 0x4f]],
  ['a TrueType font', [0x00, 0x01, 0x00, 0x00, 0x00]],
  ['a PDF document', [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['a ZIP archive', [0x50, 0x4b, 0x03, 0x04]],
  ['a bzip2 file', [0x42, 0x5a, 0x68]],
  ['an xz file', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['a Zstandard file', [0x28, 0xb5, 0x2f, 0xfd]],
  ['a 7-Zip archive', [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]],
];

/**
 * Binary data: a known file signature, or (with `--encoding auto`) a NUL byte in the first bytes,
 * which text in an ASCII-compatible encoding never has (UTF-16 with a BOM is text).
 */
export const binaryKind: SkipKind<'binary'> = {
  name: 'binary',
  sniff(head) {
    if (signature(head) !== undefined) return 'sure';
    if (head.encoding !== 'auto' || utf16(head)) return 'no';
    if (head.bytes.includes(0)) return 'sure';
    return head.final ? 'no' : 'wait';
  },
  skip(head) {
    const what = signature(head);
    return { code: 'BINARY_INPUT', args: what === undefined ? { nulAt: head.bytes.indexOf(0) } : { format: what } };
  },
};

function signature(head: Head): string | undefined {
  const { bytes } = head;
  return SIGNATURES.find(([, magic]) => magic.length <= bytes.length && magic.every((b, i) => b === null || bytes[i] === b))?.[0];
}

function utf16(head: Head): boolean {
  const [a, b] = head.bytes;
  return (a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff);
}
