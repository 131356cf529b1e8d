/**
 * The CSV and Markdown writers work on the excerpt's UTF-8 bytes (issue 17). Their references are
 * what they replaced: csv-stringify with the options `-f csv` used, and the string-level Markdown
 * writer (`helpers/markdown-reference.ts`). On generated records, hostile ones included, the output
 * must be the same bytes, whatever the fields, the batches, and where the excerpt sits in memory.
 */
import { Buffer } from 'node:buffer';
import { HtmlRenderer } from 'commonmark';
import { stringify, type Options } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { marks, nextMarked, wordsOf } from '../src/format/byte-scan.js';
import { createFormatter, type Format } from '../src/format/index.js';
import { escapeText, isSpaceAt, markdownFastPath } from '../src/format/markdown.js';
import { OutputBuffer } from '../src/format/output-buffer.js';
import { utf8Into, utf8Of } from '../src/format/utf8.js';
import { formatCsv, formatMarkdown, type Post, type PostField } from '../src/index.js';
import { ALL_FIELDS, fieldValue, POST_FIELDS, type RawPost } from '../src/record.js';
import { referenceEscape, referenceMarkdown } from './helpers/markdown-reference.js';
import { markdownParser } from './helpers/read-back.js';

// ---------------------------------------------------------------------------------------------------
// Generated records

/** Text from pieces that stress one writer, mixed with arbitrary code points. */
function textOf(pieces: readonly string[], maxLength = 24): fc.Arbitrary<string> {
  return fc
    .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pieces) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 2 }) }), { maxLength })
    .map((parts) => parts.join(''));
}

// Quotes, delimiters, every line ending, controls, formula starts and their full-width forms, lone
// surrogates (in strings: an excerpt is bytes, where they are U+FFFD already), white space.
const CSV_PIECES = [
  '"',
  '""',
  ',',
  '\r',
  '\n',
  '\r\n',
  '\u0000',
  '\u0001',
  '\u001f',
  '\u007f',
  '\u0085',
  '=',
  '+',
  '-',
  '@',
  '\t',
  '＝',
  '＋',
  '－',
  '＠',
  "'",
  ';',
  ' ',
  '\uD800',
  '\uDFFF',
  '😀',
  'é',
  '中文',
  '\u00a0',
  '\u3000',
  '\uFEFF',
  'abc',
];
// Markup, block starts, math openers and closers, escaped dollars, white space of every kind.
const MARKDOWN_PIECES = [
  '#',
  '##',
  '\\#',
  '*',
  '_',
  '`',
  '[',
  ']',
  '(',
  ')',
  '<',
  '>',
  '<eos>',
  '&',
  '!',
  '~',
  '|',
  '.',
  '1',
  '12',
  '-',
  '+',
  '=',
  '\\',
  '\\\\',
  '$',
  '$$',
  '\\$',
  '\\(',
  '\\)',
  '\\[',
  '\\]',
  '\\begin{a}',
  '\\end{a}',
  '\\begin{equation}',
  '\\end{equation}',
  '\\begin{a*}',
  '\\end{b}',
  '\\begin{',
  '}',
  '\\mathcal{O}',
  'x',
  'y',
  ' ',
  '  ',
  '\t',
  '\n',
  '\r',
  '\u00a0',
  '\u2000',
  '\u2028',
  '\u3000',
  '\uFEFF',
  '\u0085',
  '中文',
  '😀',
  '\uD800',
];

// Counts on both sides of 2^31, where the digit writer leaves integer arithmetic.
const number = fc.oneof(
  fc.integer({ min: -1_000_000, max: 2_000_000_000 }),
  fc.maxSafeNat(),
  fc.constantFrom(0, -0, 1e21, 0.5, -5, Number.MAX_SAFE_INTEGER, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 7, 1e15),
);

function postOf(text: fc.Arbitrary<string>, excerpt: fc.Arbitrary<string>): fc.Arbitrary<Post> {
  return fc.record(
    {
      title: text,
      author: text,
      date: fc.oneof(fc.constant('2021-01-22'), text),
      readers: fc.option(number, { nil: null }),
      excerpt,
      url: fc.option(fc.oneof(fc.constant('https://kexue.fm/archives/8128'), text), { nil: null }),
      id: fc.option(number, { nil: null }),
      source: fc.oneof(fc.constantFrom('-', 'dump.txt', '=cmd.txt'), text),
      line: number,
      series: fc.option(text, { nil: null }),
      part: fc.option(number, { nil: null }),
      categories: fc.array(text, { maxLength: 3 }),
      tags: fc.array(text, { maxLength: 3 }),
    },
    { requiredKeys: ['title', 'author', 'date', 'readers', 'excerpt', 'url', 'id', 'source', 'line'] },
  );
}

const fieldsArb = fc.oneof(fc.constant(POST_FIELDS), fc.shuffledSubarray([...ALL_FIELDS], { minLength: 1 }));

/** A post as the parser hands it on, its excerpt at `offset` in a slab whose other bytes are `filler`. */
function rawAt(post: Post, offset: number, filler: number): RawPost {
  const { excerpt, ...rest } = post;
  const bytes = Buffer.from(excerpt, 'utf8');
  const slab = new Uint8Array(offset + bytes.length + 8).fill(filler);
  slab.set(bytes, offset);
  return { ...rest, excerptUtf8: slab.subarray(offset, offset + bytes.length) };
}

const layout = fc.record({
  offset: fc.integer({ min: 0, max: 7 }),
  filler: fc.constantFrom(0x22, 0x2c, 0x0a, 0x24, 0x5c, 0x41, 0xe4),
  batch: fc.integer({ min: 1, max: 4 }),
});

/** The formatter's bytes for `posts`, given in batches of `batch`. */
function written(format: Format, fields: readonly PostField[], flag: 'excel' | 'table' | null, posts: readonly RawPost[], batch: number): Buffer {
  const formatter = createFormatter({ format, fields, compact: false, excel: flag === 'excel', table: flag === 'table' });
  const out = new OutputBuffer(16);
  formatter.start(out);
  for (let i = 0; i < posts.length; i += batch) formatter.write(posts.slice(i, i + batch), out);
  formatter.finish(out);
  return Buffer.from(out.take());
}

// ---------------------------------------------------------------------------------------------------
// CSV: csv-stringify is the reference

/** What `-f csv` wrote through csv-stringify: the header row, then the rows, with these options. */
function referenceCsv(posts: readonly Post[], fields: readonly PostField[], excel: boolean): Buffer {
  const options: Options = {
    record_delimiter: excel ? 'windows' : 'unix',
    quoted_match: /[\r\n]/,
    escape_formulas: excel,
    ...(excel ? { cast: { string: (value: string) => (value.startsWith('\n') ? `'${value}` : value) } } : {}),
  };
  const rows = posts.map((post) =>
    fields.map((field) => {
      const value = field === 'excerpt' ? post.excerpt : fieldValue(post, field);
      return Array.isArray(value) ? value.join('; ') : value;
    }),
  );
  return Buffer.from(stringify([fields], { ...options, bom: excel }) + stringify(rows, options), 'utf8');
}

describe('CSV is byte for byte what csv-stringify writes', () => {
  const posts = fc.array(postOf(textOf(CSV_PIECES), textOf(CSV_PIECES, 60)), { maxLength: 5 });

  it('generated posts, plain and --excel, any fields, any batches, the excerpt anywhere in memory', () => {
    fc.assert(
      fc.property(posts, fieldsArb, fc.boolean(), layout, (list, fields, excel, { offset, filler, batch }) => {
        const raws = list.map((post) => rawAt(post, offset, filler));
        expect(written('csv', fields, excel ? 'excel' : null, raws, batch).equals(referenceCsv(list, fields, excel))).toBe(true);
      }),
      { numRuns: 3000, seed: 20210122 },
    );
  });

  it('through the library (formatCsv), default fields', () => {
    fc.assert(
      fc.property(posts, fc.boolean(), (list, excel) => {
        expect(Buffer.from(formatCsv(list, { excel }), 'utf8').equals(referenceCsv(list, POST_FIELDS, excel))).toBe(true);
      }),
      { numRuns: 500, seed: 81957 },
    );
  });

  it('every cell start csv-stringify guards, alone and before text, and empty cells', () => {
    const starts = ['=', '+', '-', '@', '\t', '\r', '\n', '\r\n', '＝', '＋', '－', '＠', "'", '"', ',', '', ' ', '中'];
    const list: Post[] = starts.flatMap((start) =>
      [start, `${start}x`, `${start}"a,b"`].map((text) => ({
        title: text,
        author: text,
        date: text,
        readers: -1,
        excerpt: text,
        url: text,
        id: null,
        source: text,
        line: 1,
        series: text,
        part: null,
        categories: [text, text],
        tags: [],
      })),
    );
    for (const excel of [false, true]) {
      const raws = list.map((post) => rawAt(post, 1, 0x22));
      expect(written('csv', ALL_FIELDS, excel ? 'excel' : null, raws, 3).toString('utf8')).toBe(referenceCsv(list, ALL_FIELDS, excel).toString('utf8'));
    }
  });

  it('huge fields: a 1 MB excerpt and a 100 KB title, quotes and line breaks throughout', () => {
    const excerpt = `${'中文,"引用"\r\n'.repeat(60_000)}=end`;
    const title = `${'＝"标题",'.repeat(15_000)}`;
    const post: Post = { title, author: '苏剑林', date: '2021-01-22', readers: 1, excerpt, url: null, id: null, source: '-', line: 1 };
    for (const excel of [false, true]) {
      expect(written('csv', POST_FIELDS, excel ? 'excel' : null, [rawAt(post, 3, 0x22)], 1).equals(referenceCsv([post], POST_FIELDS, excel))).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// Markdown: the string-level writer is the reference, and commonmark reads both alike

const renderer = new HtmlRenderer();
const html = (markdown: string): string => renderer.render(markdownParser.parse(markdown));

// ---------------------------------------------------------------------------------------------------
// JSON: JSON.stringify is the reference

// What JSON escapes, or writes apart: quotes, backslashes, every control character, lone surrogates
// (in strings; an excerpt is bytes, where they are U+FFFD already), and text that needs nothing.
const JSON_PIECES = [
  '"',
  '\\',
  '\n',
  '\r',
  '\t',
  '\b',
  '\f',
  '\u0000',
  '\u0001',
  '\u001f',
  '\u007f',
  '\u2028',
  '\u2029',
  '\uD800',
  '\uDFFF',
  '😀',
  '中文',
  'abc',
  ' ',
  '位读者',
];

/** A post's record as `JSON.stringify` writes it, with `fields` in that order. */
function referenceRecord(post: Post, fields: readonly PostField[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((field) => [field, field === 'excerpt' ? post.excerpt : fieldValue(post, field)]));
}

describe('JSON and JSON Lines are byte for byte what JSON.stringify writes', () => {
  // An excerpt is UTF-8 bytes: a lone surrogate in it is U+FFFD already, as JSON.stringify must see it.
  const posts = fc.array(
    postOf(
      textOf(JSON_PIECES),
      textOf(JSON_PIECES, 60).map((t) => Buffer.from(t, 'utf8').toString('utf8')),
    ),
    { maxLength: 5 },
  );

  it('generated posts, any fields, any batches, the excerpt anywhere in memory: JSON Lines, pretty and compact JSON', () => {
    fc.assert(
      fc.property(posts, fieldsArb, layout, (list, fields, { offset, filler, batch }) => {
        const raws = list.map((post) => rawAt(post, offset, filler));
        const records = list.map((post) => referenceRecord(post, fields));
        const lines = records.map((r) => `${JSON.stringify(r)}\n`).join('');
        expect(written('jsonl', fields, null, raws, batch).toString('utf8')).toBe(lines);
        const pretty = createFormatter({ format: 'json', fields, compact: false, excel: false, table: false });
        const compact = createFormatter({ format: 'json', fields, compact: true, excel: false, table: false });
        for (const [formatter, expected] of [
          [pretty, `${JSON.stringify(records, null, 2)}\n`],
          [compact, `${JSON.stringify(records)}\n`],
        ] as const) {
          const out = new OutputBuffer(16);
          formatter.start(out);
          for (let i = 0; i < raws.length; i += batch) formatter.write(raws.slice(i, i + batch), out);
          formatter.finish(out);
          expect(Buffer.from(out.take()).toString('utf8')).toBe(expected);
        }
      }),
      { numRuns: 2000, seed: 2026 },
    );
  });
});

describe('Markdown is byte for byte what the string-level writer wrote', () => {
  const text = textOf(MARKDOWN_PIECES);
  const posts = fc.array(postOf(text, textOf(MARKDOWN_PIECES, 60)), { maxLength: 4 });

  it('generated posts, sections and tables, any fields, any batches, the excerpt anywhere in memory', () => {
    fc.assert(
      fc.property(posts, fieldsArb, fc.boolean(), layout, (list, fields, table, { offset, filler, batch }) => {
        const raws = list.map((post) => rawAt(post, offset, filler));
        const got = written('md', fields, table ? 'table' : null, raws, batch);
        const want = Buffer.from(referenceMarkdown(list, fields, table), 'utf8');
        expect(got.toString('utf8')).toBe(want.toString('utf8'));
        expect(got.equals(want)).toBe(true);
      }),
      { numRuns: 3000, seed: 31392 },
    );
  });

  it('a plain title or metadata line is copied as the escaper would write it (fast path on and off)', () => {
    // Mostly plain text, with what ends the fast path: white space or a block start first, a mark, a surrogate.
    const plainish = fc
      .array(
        fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom('中文', 'abc', 'é', '·', '2021', '(x)', ',', '.', '?', '\u00a0', '\u3000') },
          { weight: 1, arbitrary: fc.constantFrom(' ', '\t', '#', '-', '+', '=', '1', '1.', '2)', '$', '\\', '_', '*', '\n', '😀', '\uD800', '|', '~') },
        ),
        { maxLength: 8 },
      )
      .map((parts) => parts.join(''));
    const plainPosts = fc.array(postOf(plainish, textOf(MARKDOWN_PIECES, 10)), { minLength: 1, maxLength: 4 });
    let plain = 0;
    fc.assert(
      fc.property(plainPosts, fieldsArb, layout, (list, fields, { offset, filler, batch }) => {
        const raws = list.map((post) => rawAt(post, offset, filler));
        const fast = written('md', fields, null, raws, batch);
        markdownFastPath.enabled = false;
        try {
          expect(written('md', fields, null, raws, batch).equals(fast)).toBe(true);
        } finally {
          markdownFastPath.enabled = true;
        }
        if (list.some((post) => /^[^\s#+=\d-][^$\\_*\n`[\]<>&~\ud800-\udfff]*$/.test(post.title))) plain++;
      }),
      { numRuns: 3000, seed: 81957 },
    );
    // Not vacuous: many runs have a title the fast path copies.
    expect(plain).toBeGreaterThan(1000);
  });

  it('commonmark renders the output as it rendered the reference (library, default fields)', () => {
    fc.assert(
      fc.property(posts, fc.boolean(), (list, table) => {
        const got = formatMarkdown(list, { table });
        const want = Buffer.from(referenceMarkdown(list, table ? ['title', 'author', 'date', 'readers'] : POST_FIELDS, table), 'utf8').toString('utf8');
        expect(got).toBe(want);
        expect(html(got)).toBe(html(want));
      }),
      { numRuns: 500, seed: 43847 },
    );
  });

  it('escapeText (split’s notes) on texts of math pieces, as a paragraph and as a line', () => {
    const mathText = fc.array(fc.constantFrom(...MARKDOWN_PIECES), { maxLength: 30 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(mathText, fc.boolean(), (t, paragraphs) => {
        expect(escapeText(t, paragraphs)).toBe(Buffer.from(referenceEscape(t, paragraphs), 'utf8').toString('utf8'));
      }),
      { numRuns: 20_000, seed: 5246 },
    );
  });

  it('huge excerpts: 1 MB of math, markup and line breaks', () => {
    const excerpt = `${'$x_1$ 与 <eos> 和 \\(a\\) *b* 1. c\n\\begin{equation}|y|\n\\end{equation}\n'.repeat(12_000)}$$`;
    const post: Post = { title: '#'.repeat(10_000), author: '苏剑林', date: '2021-01-22', readers: 1, excerpt, url: null, id: null, source: '-', line: 1 };
    for (const table of [false, true]) {
      const fields = table ? (['title', 'excerpt'] as const) : POST_FIELDS;
      expect(written('md', fields, table ? 'table' : null, [rawAt(post, 2, 0x24)], 1).toString('utf8')).toBe(referenceMarkdown([post], fields, table));
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// The pieces they share

describe('byte scan', () => {
  it('nextMarked finds what a byte-by-byte loop finds, at any offset, from and end', () => {
    const byte = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x0a, 0x22, 0x24, 0x2c, 0x5c, 0x7c, 0x80, 0xe4, 0xff));
    fc.assert(
      fc.property(
        fc.array(byte, { maxLength: 80 }),
        fc.integer({ min: 0, max: 7 }),
        fc.string({ unit: 'binary-ascii', maxLength: 4 }),
        fc.nat(),
        fc.nat(),
        (values, offset, chars, a, b) => {
          const slab = new Uint8Array(offset + values.length + 5).fill(0x22);
          slab.set(values, offset);
          const src = slab.subarray(offset, offset + values.length);
          const table = marks(chars);
          const end = values.length === 0 ? 0 : b % (values.length + 1);
          const from = end === 0 ? 0 : a % (end + 1);
          let want = from;
          while (want < end && !chars.includes(String.fromCharCode(src[want] as number))) want++;
          expect(nextMarked(src, wordsOf(src.buffer), from, table, end)).toBe(want);
        },
      ),
      { numRuns: 5000, seed: 4 },
    );
  });

  it('utf8Into and utf8Of give the bytes TextEncoder gives, lone surrogates included, short and long', () => {
    const text = fc.oneof(
      fc.string({
        unit: fc.constantFrom('a', '中', 'é', '😀', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\u0000', '\u07ff', '\u0800', '\uffff'),
        maxLength: 300,
      }),
      fc.string({ unit: 'binary', maxLength: 300 }),
    );
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 5 }), (t, at) => {
        const want = new TextEncoder().encode(t);
        const dst = new Uint8Array(at + t.length * 3);
        expect(Buffer.from(dst.subarray(at, utf8Into(t, dst, at))).equals(want)).toBe(true);
        expect(Buffer.from(utf8Of(t)).equals(want)).toBe(true);
      }),
      { numRuns: 3000, seed: 7 },
    );
  });

  it('isSpaceAt is /\\s/ for every code point', () => {
    const differ: string[] = [];
    const bytes = new Uint8Array(4);
    for (let c = 0; c <= 0x10ffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const char = String.fromCodePoint(c);
      utf8Into(char, bytes, 0);
      if (isSpaceAt(bytes, 0) !== /\s/.test(char)) differ.push(c.toString(16));
    }
    expect(differ).toEqual([]);
  });
});
