/**
 * Encodings (SPEC §7): every encoding postdump accepts decodes right however its bytes are cut into
 * chunks (one byte at a time, two pieces at every offset, three pieces at every pair of offsets for
 * the multi-byte ones), without keeping a reference to a chunk it was handed; names resolve to the
 * built-in decoder or to iconv-lite, or are a usage error; auto-detection goes BOM → an HTML page's
 * `<meta charset>` → UTF-8 → GB18030 → an error; the encoding fixtures give the records of their
 * UTF-8 originals, however they are chunked.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, PostdumpError, type ParseResult } from '../src/index.js';
import { InputDecoder, resolveEncoding, SNIFF_BYTES } from '../src/input/decode.js';
import { startsHtmlDocument } from '../src/input/kinds/page.js';
import { RecordReader } from '../src/input/read-by-kind.js';
import { toPost } from '../src/record.js';
import type { Diagnostic } from '../src/types.js';
import { ENCODINGS, encoderName, iconv, representable } from './helpers/encodings.js';
import { readPieces } from './helpers/records.js';

const SAMPLE = 'By 苏剑林 | 2021-01-22 | 81957位读者 | 引用 Ωжé€ö⋅·—ÅאعกΣ 日本語カナ 한국어 𠀀😀 end\r\n';

/** Bytes of the sample in an encoding, keeping the characters it has (as the decoder under test should read them back). */
function encoded(encoding: string): { text: string; bytes: Buffer } {
  const has = representable(encoding);
  const text = [...SAMPLE].filter(has).join('');
  return { text, bytes: iconv.encode(text, encoderName(encoding)) };
}

/** Decodes pieces through one InputDecoder, reading each output before the next push (outputs may borrow the chunk). */
function decodePieces(encoding: string, pieces: Uint8Array[]): string {
  const decoder = new InputDecoder(encoding, 'x');
  let out = '';
  for (const piece of pieces) for (const b of decoder.push(piece)) out += b.toString('latin1');
  for (const b of decoder.end()) out += b.toString('latin1');
  return Buffer.from(out, 'latin1').toString('utf8');
}

/** The same, through one scratch buffer that is overwritten after every push: nothing may point into it. */
function decodeThroughScratch(encoding: string, bytes: Buffer, size: number): string {
  const decoder = new InputDecoder(encoding, 'x');
  const scratch = Buffer.alloc(size);
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) {
    const n = bytes.copy(scratch, 0, i, i + size);
    for (const b of decoder.push(scratch.subarray(0, n))) out.push(Buffer.from(b));
    scratch.fill(0xff);
  }
  for (const b of decoder.end()) out.push(Buffer.from(b));
  return Buffer.concat(out).toString('utf8');
}

const split = (bytes: Buffer, ...at: number[]): Buffer[] => [0, ...at, bytes.length].slice(1).map((end, k) => bytes.subarray([0, ...at][k], end));

describe.each(ENCODINGS)('%s', (encoding) => {
  const { text, bytes } = encoded(encoding);

  it('decodes whole, one byte at a time and in two pieces cut at every offset', () => {
    expect(text).toMatch(/^By /);
    expect(decodePieces(encoding, [bytes])).toBe(text);
    expect(
      decodePieces(
        encoding,
        [...bytes].map((b) => Buffer.from([b])),
      ),
    ).toBe(text);
    for (let i = 1; i < bytes.length; i++) expect(decodePieces(encoding, split(bytes, i)), `cut at ${i}`).toBe(text);
  });

  it('keeps no reference to a chunk once push returns', () => {
    for (const size of [1, 2, 3, 5]) expect(decodeThroughScratch(encoding, bytes, size)).toBe(text);
  });

  // Three pieces are what iconv-lite's GB18030 decoder gets wrong (SPEC §7); only sequences of three or more bytes can be
  // cut twice. The sample's end (CJK, Hangul, astral characters) keeps the pairs of cuts few.
  const encoder = encoderName(encoding);
  const longest = Math.max(...[...text].map((ch) => iconv.encode(ch, encoder).length));
  if (longest >= 3)
    it('decodes in three pieces cut at every pair of offsets', () => {
      const chars = [...text];
      let k = chars.length;
      while (k > 0 && iconv.encode(chars.slice(k).join(''), encoder).length < 48) k--;
      const tail = chars.slice(k).join('');
      const tailBytes = iconv.encode(tail, encoder);
      for (let i = 1; i < tailBytes.length; i++) {
        for (let j = i + 1; j < tailBytes.length; j++) {
          const out = decodePieces(encoding, split(tailBytes, i, j));
          if (out !== tail) expect(out, `cut at ${i} and ${j}`).toBe(tail);
        }
      }
    });
});

describe('iso-2022-jp (stateful escapes; iconv-lite cannot encode it)', () => {
  const bytes = Buffer.from([...Buffer.from('By Su | '), 0x1b, 0x24, 0x42, 0x46, 0x7c, 0x4b, 0x5c, 0x1b, 0x28, 0x42, ...Buffer.from(' | 1\n')]);
  it('decodes at every cut, through the built-in decoder', () => {
    expect(resolveEncoding('ISO-2022-JP')).toBe('iso-2022-jp');
    for (let i = 1; i < bytes.length; i++) {
      for (let j = i + 1; j < bytes.length; j++) expect(decodePieces('iso-2022-jp', split(bytes, i, j))).toBe('By Su | 日本 | 1\n');
    }
  });
});

describe('GB18030 four-byte characters (the iconv-lite stream bug of SPEC §7)', () => {
  const chars = [
    ['𠀀', [0x95, 0x32, 0x82, 0x36]],
    ['😀', [0x94, 0x39, 0xfc, 0x36]],
    ['⋅', [0x81, 0x36, 0xe1, 0x36]],
  ] as const;

  it.each(chars)('%s decodes in 1+1+1+1, 1+1+2, 1+2+1 and 2+1+1 pieces, named gb18030, gbk, gb2312 or cp936', (ch, seq) => {
    const bytes = Buffer.from(seq);
    for (const name of ['gb18030', 'GBK', 'gb2312', 'cp936']) {
      for (const cuts of [
        [1, 2, 3],
        [1, 2],
        [1, 3],
        [2, 3],
      ])
        expect(decodePieces(name, split(bytes, ...cuts))).toBe(ch);
    }
  });

  it('auto-detected input decodes them right across chunk boundaries after the 64 KiB sniff', () => {
    const text = `${'科学空间'.repeat(20_000)}𠀀😀⋅`;
    const bytes = iconv.encode(text, 'gb18030');
    const at = bytes.length - 12;
    expect(decodePieces('auto', split(bytes, at + 1, at + 2, at + 5, at + 7, at + 11))).toBe(text);
  });
});

describe('encoding names', () => {
  it.each([
    ['auto', 'auto'],
    [' UTF8 ', 'utf-8'],
    ['gbk', 'gb18030'],
    ['GB2312', 'gb18030'],
    ['cp936', 'gb18030'],
    ['x-gbk', 'gb18030'],
    ['big5', 'big5'],
    ['Shift_JIS', 'shift_jis'],
    ['latin1', 'windows-1252'],
    ['utf-16', 'utf-16le'],
    ['cp437', 'cp437'],
    ['UTF-32LE', 'utf-32le'],
    ['macroman', 'macroman'],
  ])('%j resolves to %j', (name, encoding) => {
    expect(resolveEncoding(name)).toBe(encoding);
    expect(resolveEncoding(encoding)).toBe(encoding);
  });

  it.each([
    ['nope', 'unknown encoding "nope" (try auto, utf-8, gb18030, gbk, big5, utf-16le, utf-16be, shift_jis, windows-1252, cp437)'],
    ['UTF-7', 'encoding "UTF-7" is not supported: iconv-lite\'s UTF-7 decoder loses characters split between chunks'],
    ['unicode-1-1-utf-7', 'encoding "unicode-1-1-utf-7" is not supported: iconv-lite\'s UTF-7 decoder loses characters split between chunks'],
    ['base64', 'encoding "base64" is not supported: not a text encoding'],
  ])('%j is a usage error', (name, message) => {
    let error: unknown;
    try {
      resolveEncoding(name);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PostdumpError);
    expect((error as PostdumpError).exitCode).toBe(2);
    expect((error as PostdumpError).diagnostic).toMatchObject({ code: 'USAGE', severity: 'error', source: null, detail: message });
  });

  it('the library checks a name too: a bad one is a usage error, not a RangeError', () => {
    expect(() => parse(Buffer.from('x'), { encoding: 'nope' })).toThrow(PostdumpError);
  });

  it('iconv-lite decodes leniently: bytes its encoding lacks become U+FFFD', () => {
    expect(decodePieces('cp1125', [Buffer.from('ok')])).toBe('ok');
    expect(decodePieces('utf-32le', [Buffer.from([0x41, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f])])).toBe('A\ufffd');
  });

  it('the built-in decoder is strict: a bad sequence is an UNDECODABLE error with its offset', () => {
    const decoder = new InputDecoder('shift_jis', 'a.txt');
    expect(() => [...decoder.push(Buffer.from([0x41, 0x81])), ...decoder.push(Buffer.from([0x20])), ...decoder.end()]).toThrow(
      "a.txt: not valid shift_jis near byte 2; name the input's encoding with the encoding option",
    );
  });
});

/** The encoding auto-detection chose for some bytes, and what they decoded to. */
function detect(bytes: Buffer, type: 'auto' | 'text' | 'html' = 'auto'): { encoding: string | null; text: string } {
  const page = type === 'html' || (type === 'auto' && startsHtmlDocument(bytes.toString('latin1'), true) === true);
  const decoder = new InputDecoder('auto', 'x', page);
  const out = Buffer.concat([...decoder.push(bytes), ...decoder.end()]).toString('utf8');
  return { encoding: decoder.encoding, text: out };
}

describe('auto-detection: BOM → <meta charset> → UTF-8 → GB18030 → error', () => {
  const page = (meta: string, body: string): string => `<!DOCTYPE html>\n<html><head>${meta}<title>t</title></head><body><p>${body}</p></body></html>\n`;
  const big5 = (text: string): Buffer => iconv.encode(text, 'big5');
  const traditional = '科學空間:蘇劍林的部落格';

  it('a BOM decides, and is dropped', () => {
    expect(detect(Buffer.from([0xef, 0xbb, 0xbf, 0x61]))).toEqual({ encoding: 'utf-8', text: 'a' });
    expect(detect(Buffer.from([0xff, 0xfe, 0x61, 0x00]))).toEqual({ encoding: 'utf-16le', text: 'a' });
    expect(detect(Buffer.from([0xfe, 0xff, 0x00, 0x61]))).toEqual({ encoding: 'utf-16be', text: 'a' });
  });

  it("a page's <meta charset> comes before guessing: Big5 bytes, which are also valid GB18030, read as Big5", () => {
    const bytes = big5(page('<meta charset="big5">', traditional));
    expect(detect(bytes)).toEqual({ encoding: 'big5', text: page('<meta charset="big5">', traditional) });
    // Without the meta (or when the input is not read as a page), the guess is GB18030: wrong, but valid.
    expect(detect(bytes, 'text').encoding).toBe('gb18030');
    expect(detect(big5(page('', traditional))).encoding).toBe('gb18030');
  });

  it.each([
    ['<meta http-equiv="Content-Type" content="text/html; charset=big5">', 'big5'],
    ["<META HTTP-EQUIV='content-type' CONTENT='text/html;charset=\"Big5\"'>", 'big5'],
    ['<meta charset=big5 />', 'big5'],
    ['<meta charset=big5/>', 'gb18030'], // as in the HTML standard's prescan, the unquoted value is "big5/": no encoding
    ['<meta name="x" content="charset=big5">', 'gb18030'],
    ['<!-- <meta charset="utf-8"> --><meta charset="big5">', 'big5'],
    ['<meta charset="big5"><meta charset="utf-8">', 'big5'],
    ['<meta charset="no-such-thing">', 'gb18030'],
  ])('%s → %s', (meta, encoding) => {
    expect(detect(big5(page(meta, traditional))).encoding).toBe(encoding);
  });

  it('a meta after <body> does not count', () => {
    const bytes = big5(`<html><head></head><body><meta charset="big5"><p>${traditional}</p></body></html>`);
    expect(detect(bytes).encoding).toBe('gb18030');
  });

  it('as browsers do, a meta saying UTF-16 means UTF-8, and x-user-defined means windows-1252', () => {
    expect(detect(Buffer.from(page('<meta charset="utf-16le">', '中文'))).encoding).toBe('utf-8');
    expect(detect(Buffer.from(page('<meta charset="x-user-defined">', 'caf\xe9'), 'latin1'))).toEqual({
      encoding: 'windows-1252',
      text: page('<meta charset="x-user-defined">', 'café'),
    });
  });

  it('bytes that contradict the meta win: a page re-saved as UTF-8 that still says gbk reads as UTF-8', () => {
    // "中 " is E4 B8 AD 20 in UTF-8: as GBK, AD would need a second byte, and 20 cannot be one.
    expect(detect(Buffer.from(page('<meta charset="gbk">', '中 文')))).toMatchObject({ encoding: 'utf-8' });
  });

  it('a text dump that mentions a meta tag is not a page: its bytes decide', () => {
    expect(detect(Buffer.from('标题\n<meta charset="big5">\n')).encoding).toBe('utf-8');
  });

  it('bytes neither UTF-8 nor GB18030 are an UNDECODABLE error that names the encoding option (and the declared encoding)', () => {
    const bad = Buffer.from([0x61, 0xff, 0xff, 0x0a]);
    expect(() => detect(bad)).toThrow("x: not valid UTF-8 or GB18030; name its encoding with the encoding option, e.g. encoding: 'big5'");
    const declared = Buffer.concat([Buffer.from(page('<meta charset="shift_jis">', '')), bad]);
    expect(() => detect(declared)).toThrow(
      "x: not valid UTF-8 or GB18030 nor shift_jis (as its <meta> declares); name its encoding with the encoding option, e.g. encoding: 'big5'",
    );
  });

  it('a NUL byte is still binary input', () => {
    expect(() => detect(Buffer.from([0x3c, 0x00, 0x68, 0x00]))).toThrow('x: binary input (NUL byte at offset 1), not a text dump');
  });

  // Found by the fuzz test: a whole input handed over at once was judged on all of its bytes, a chunked
  // one on its first 64 KiB, so a file (read in 1 MiB pieces) and the same bytes on a pipe disagreed.
  it('only the first 64 KiB decide, however the input arrives: a NUL or a non-UTF-8 byte after them is no binary or GB18030 input', () => {
    const outcome = (pieces: Uint8Array[]): string => {
      try {
        return `${readPieces(pieces, 'auto').posts.length} posts`;
      } catch (e) {
        return (e as Error).message;
      }
    };
    const nul = readFileSync(new URL('../fixtures/fuzz/nul-after-64-kib.txt', import.meta.url));
    expect(nul.indexOf(0)).toBeGreaterThan(SNIFF_BYTES);
    const latin = Buffer.concat([Buffer.from(`T\nBy Su | 2021-01-22 | 1 readers |\n${'a'.repeat(SNIFF_BYTES)}\n`), Buffer.from([0xb0, 0xa1, 0x0a])]);
    for (const [bytes, expected] of [
      [nul, '99 posts'],
      [latin, `-: invalid UTF-8 at byte ${latin.length - 3}; name the input's encoding with the encoding option`],
    ] as const) {
      expect(outcome([bytes])).toBe(expected);
      for (const size of [4096, SNIFF_BYTES - 1, SNIFF_BYTES + 1]) {
        const pieces = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
        expect(outcome(pieces), `in pieces of ${size} bytes`).toBe(expected);
      }
    }
  });
});

/** posts and diagnostics of a parse, as if read from `source`. */
function as(result: ParseResult, source: string): ParseResult {
  const rename = <T extends { source: string | null }>(x: T): T => ({ ...x, source: x.source === null ? null : source });
  return { posts: result.posts.map(rename), diagnostics: result.diagnostics.map(rename) };
}

/** RecordReader fed two pieces cut at `at`. */
function readInTwo(bytes: Buffer, at: number, source: string, encoding: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const reader = new RecordReader({ source, encoding, onDiagnostic: (d) => diagnostics.push(d) });
  const posts = [...reader.push(bytes.subarray(0, at)).map(toPost), ...reader.push(bytes.subarray(at)).map(toPost), ...reader.end().map(toPost)];
  return { posts, diagnostics };
}

describe.each([
  ['dump.txt', 'dump.gb18030.txt', 'gb18030'],
  ['dump.txt', 'dump.utf16le.txt', 'utf-16le'],
  ['dump.txt', 'dump.utf16be.txt', 'utf-16be'],
  ['dump.txt', 'dump.utf8-bom.txt', 'utf-8'],
  ['dump.txt', 'dump.crlf.txt', 'utf-8'],
  ['gbk.txt', 'gbk.gbk.txt', 'gbk'],
])('fixtures/encodings/%s as %s (%s)', (original, variant, encoding) => {
  const read = (name: string): { source: string; bytes: Buffer } => ({
    source: `fixtures/encodings/${name}`,
    bytes: readFileSync(new URL(`../fixtures/encodings/${name}`, import.meta.url)),
  });
  const base = read(original);
  const other = read(variant);
  const expected = as(parse(base.bytes, { source: base.source }), other.source);

  it('gives the same records as the UTF-8 original', () => {
    expect(expected.posts.length).toBeGreaterThan(1);
    expect(parse(other.bytes, { source: other.source })).toEqual(expected);
  });

  // Every third offset meets every alignment of 2- and 4-byte units (each reader costs the text parser's 1 MiB slab);
  // auto-detection holds the first 64 KiB whole, so fewer cuts matter there.
  it.each([
    ['auto', 13],
    [encoding, 3],
  ])('whatever offset the bytes are cut at, encoding %s (every %i bytes)', (name, step) => {
    expect(parse(other.bytes, { source: other.source, encoding: name })).toEqual(expected);
    for (let at = 1; at < other.bytes.length; at += step) {
      const result = readInTwo(other.bytes, at, other.source, name);
      if (JSON.stringify(result) !== JSON.stringify(expected)) expect(result, `cut at ${at}`).toEqual(expected);
    }
  });
});
