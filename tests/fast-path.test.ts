/**
 * The parser's fast paths (issue 17) read the common line shapes on bytes and hand every other line
 * to the general code: they must give what the general code gives. Line by line (the byte-level
 * header reader against `parseHeader`, on lines near the seed's shape), and input by input (fast
 * paths on against off: the same records and the same diagnostics) on every text fixture — the
 * SPEC §2 variants, the renderers' layouts, the encodings — whole and cut at every offset. The
 * random dumps of parser-properties.test.ts compare both paths too, in every encoding.
 */
import { Buffer } from 'node:buffer';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse, type ParseResult } from '../src/index.js';
import { fastPath } from '../src/parse/fast-path.js';
import { parseHeader } from '../src/parse/header.js';
import { HeaderBytes } from '../src/parse/header-bytes.js';
import { isBlank, skipSpace, skipSpaceBack } from '../src/parse/bytes.js';
import { readPieces } from './helpers/records.js';

afterEach(() => {
  fastPath.enabled = true;
  vi.restoreAllMocks();
});

/** What the general code alone makes of `input`, read in `pieces`. */
function general(pieces: readonly Uint8Array[]): ParseResult {
  fastPath.enabled = false;
  try {
    return readPieces(pieces, 'auto');
  } finally {
    fastPath.enabled = true;
  }
}

// ---------------------------------------------------------------------------------------------------
// Header lines near the seed's shape, and how far from it

/** The seed's piece most of the time, else one of the others. */
const pick = (seed: string, ...others: string[]) => fc.oneof({ weight: 4, arbitrary: fc.constant(seed) }, { weight: 1, arbitrary: fc.constantFrom(...others) });
const headerLike = fc
  .record({
    by: pick('By ', 'By  ', ' By ', 'By\t', 'by ', 'By', 'By\u00a0'),
    author: pick('苏剑林', 'Jianlin Su', 'J. Su', '', ' 苏剑林', '苏剑林 ', '苏\u3000', 'a｜b', 'a|b', '\u00a0x', 'By', '位读者', 'x\ufeff'),
    bar1: pick(' | ', '|', ' ｜ ', '  | ', ' |  ', '\u00a0|\u00a0', ' |\t', ' | ｜ '),
    date: pick(
      '2021-01-22',
      '2020-02-29',
      '2021-02-29',
      '1900-02-29',
      '2000-02-29',
      '0000-01-01',
      '2021-04-31',
      '2021-13-45',
      '2021-1-2',
      '202a-01-01',
      '2021-00-10',
      '2021-12-31',
      ' 2021-01-22',
    ),
    bar2: pick(' | ', '|', ' ｜ ', ' |  ', '\u3000|\u3000'),
    count: pick('81957', '0', '007', '81,957', '123456789012345', '1234567890123456', '99999999999999999', '', 'x', '8 1', '1readers'),
    word: pick('位读者', '位读者 ', ' 位读者', ' readers', 'readers', '位读', '位', ''),
    tail: pick(' | ', '', '|', ' ｜ ', ' ', '\u3000', ' |', '｜', ' | |'),
    cite: pick('引用', 'Cite', 'Cited', '', '引', 'Cite ', 'Cite_', 'Cite-', ' 引用'),
    rest: pick('从这一篇开始', '', ' 正文', '\u3000正文', 'a | b', '位读者', '$\\mathcal{O}(n^2)$', '"quoted"'),
  })
  .map((p) => p.by + p.author + p.bar1 + p.date + p.bar2 + p.count + p.word + p.tail + p.cite + p.rest);

describe('the byte-level header reader', () => {
  it('gives what parseHeader gives on the decoded line, or hands the line on (null)', () => {
    const reader = new HeaderBytes();
    let fast = 0;
    let runs = 0;
    fc.assert(
      fc.property(
        fc.oneof({ weight: 6, arbitrary: headerLike }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) }),
        fc.nat({ max: 7 }),
        fc.option(fc.nat({ max: 80 }), { freq: 2 }),
        (whole, offset, cut) => {
          runs++;
          // Cut short (between characters) now and then: a line may end anywhere in a header.
          const line = cut === null ? whole : [...whole].slice(0, cut).join('');
          // At an offset in a larger buffer, with bytes after the line: it reads only `[start, end)`.
          const bytes = Buffer.from(line, 'utf8');
          const buf = Buffer.concat([Buffer.alloc(offset, 0x42), bytes, Buffer.from('|位读者 引用')]);
          // One reader for every line: what it remembers of the last header (its author, its date) must not change what it reads.
          const header = reader.parse(buf, offset, offset + bytes.length);
          if (header === null) return;
          fast++;
          const result = parseHeader(line);
          expect(result !== null && 'header' in result).toBe(true);
          if (result === null || !('header' in result)) return;
          const { restStart, ...fields } = result.header;
          expect({ ...header, restStart: 0 }).toEqual({ ...fields, restStart: 0 });
          expect(header.restStart).toBe(Buffer.byteLength(line.slice(0, restStart)));
        },
      ),
      { numRuns: 20000, seed: 17 },
    );
    // Not vacuous: a good share of the lines take the fast path.
    expect(fast / runs).toBeGreaterThan(0.05);
  });

  it("reads the seed's headers, and keeps one author's string for all its posts", () => {
    const reader = new HeaderBytes();
    const line = Buffer.from('By 苏剑林 | 2021-01-22 | 81957位读者 | 引用从这一篇开始');
    const a = reader.parse(line, 0, line.length);
    expect(a).toEqual({ author: '苏剑林', date: '2021-01-22', readers: 81957, restStart: Buffer.byteLength('By 苏剑林 | 2021-01-22 | 81957位读者 | 引用') });
    const other = Buffer.from('By 苏剑林 | 2021-01-26 | 31392位读者 | 引用去年');
    expect(reader.parse(other, 0, other.length)?.author).toBe(a?.author);
  });
});

// ---------------------------------------------------------------------------------------------------
// White space on bytes, as `trim` has it

/** Every white space character `trim` knows, characters whose UTF-8 ends as one of theirs does (。 、 U+200B U+2027), and others. */
const spaceOrNot = fc.constantFrom(
  ...[' ', '\t', '\v', '\f', '\u00a0', '\u1680', '\u2000', '\u2003', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff'],
  ...['。', '、', '\u200b', '\u2027', '\u0085', '\u00a1', '\u1681', '\u3001', 'a', '中', '😀', '\ufebf', '\u0a00'],
);

describe('the byte-level white space', () => {
  it('skipSpace and skipSpaceBack drop what trimStart and trimEnd drop, isBlank is an empty trim', () => {
    fc.assert(
      fc.property(
        fc.array(spaceOrNot, { maxLength: 8 }).map((a) => a.join('')),
        fc.nat({ max: 5 }),
        (text, offset) => {
          const bytes = Buffer.from(text, 'utf8');
          const buf = Buffer.concat([Buffer.alloc(offset, 0x20), bytes, Buffer.from(' ')]);
          const end = offset + bytes.length;
          expect(skipSpace(buf, offset, end) - offset).toBe(Buffer.byteLength(text) - Buffer.byteLength(text.trimStart()));
          expect(skipSpaceBack(buf, offset, end) - offset).toBe(Buffer.byteLength(text.trimEnd()));
          expect(isBlank(buf, offset, end)).toBe(text.trim() === '');
        },
      ),
      { numRuns: 5000, seed: 17 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// Every text fixture, fast paths on and off

const fixtures = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? fixtures(join(dir, e.name)) : /\.(txt|md)$/.test(e.name) && !e.name.endsWith('README.md') ? [join(dir, e.name)] : [],
  );
const TEXT_FIXTURES = [
  'fixtures/seed.txt',
  'fixtures/formats/tricky.txt',
  ...fixtures('fixtures/variants'),
  ...fixtures('fixtures/encodings'),
  ...fixtures('fixtures/renderers'),
  ...fixtures('fixtures/commands').filter((f) => f.endsWith('.txt')),
];

describe('fast paths on and off: the same records and diagnostics', () => {
  it('there are fixtures of every kind (variants, encodings, renderers)', () => {
    expect(TEXT_FIXTURES.length).toBeGreaterThan(90);
  });

  it.each(TEXT_FIXTURES)('%s, whole and cut in two (at every offset, or 200 offsets)', (file) => {
    const bytes = readFileSync(file);
    const expected = JSON.stringify(general([bytes]));
    expect(JSON.stringify(readPieces([bytes], 'auto'))).toBe(expected);
    // Every offset of a small fixture; 200 spread over a larger one keep the suite quick.
    const step = Math.max(1, Math.ceil(bytes.length / 200));
    for (let at = 1; at < bytes.length; at += step) {
      const got = JSON.stringify(readPieces([bytes.subarray(0, at), bytes.subarray(at)], 'auto'));
      if (got !== expected) expect(got, `cut at ${at}`).toBe(expected);
    }
  });

  it("the seed's headers all take the fast path (it is exercised by the fixtures)", () => {
    const spy = vi.spyOn(HeaderBytes.prototype, 'parse');
    const result = parse(readFileSync('fixtures/seed.txt'), { source: 'seed.txt' });
    const taken = spy.mock.results.filter((r) => r.value !== null).length;
    expect(result.posts.length).toBeGreaterThan(0);
    expect(taken).toBe(result.posts.length);
  });
});
