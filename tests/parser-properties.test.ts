/**
 * Properties of the text-dump parser (SPEC §2, §7, §8), over random dumps: random posts rendered in
 * random SPEC §2 variants (bars, white space, counts, dates, `引用` or not, English headers, glued or
 * separate first paragraphs, blank lines, line endings, BOM) among random noise (page chrome before
 * the first title, sidebar blocks and pagination bars after a post, post-title-like lines in the
 * sidebar, a second page's chrome and BOM after the first page's sidebar, broken and title-less
 * headers in excerpts and noise). What must hold:
 *
 * - parsing gives exactly the posts and diagnostics the dump was made of;
 * - any chunking of the bytes gives what the whole input gives;
 * - conservation: every non-blank line ends in exactly one post's span or one skipped range;
 * - the records survive every output format read back by a real parser;
 * - in every encoding, encoding the dump and parsing the bytes (cut at every offset) gives what the
 *   text gives;
 * - the fast paths (issue 17: the seed's header shape read on bytes) give what the general code
 *   alone gives, however the bytes are chunked and in every encoding (the encodings' expected
 *   results are the general code's).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCsv, formatJsonLines, formatMarkdown, parse, parseStream, type Diagnostic, type ParseResult, type Post } from '../src/index.js';
import { diagnostic } from '../src/diagnostics.js';
import { unaccounted } from './helpers/conservation.js';
import { ENCODINGS, encoderName, iconv, representable } from './helpers/encodings.js';
import { allNodes, expectedRow, markdownParser, readCsv, textOf } from './helpers/read-back.js';
import { readPieces } from './helpers/records.js';
import { fastPath } from '../src/parse/fast-path.js';

/** What the general code alone, without the parser's fast paths, makes of a whole input. */
function generalParse(input: string | Buffer): ParseResult {
  fastPath.enabled = false;
  try {
    return parse(input, { source: SOURCE });
  } finally {
    fastPath.enabled = true;
  }
}

// ---------------------------------------------------------------------------------------------------
// What the dump is made of

// SPEC §2 and §10 rules the generator must respect to know what each line is (restated here, not taken
// from src): a line "starts like a header" with `By ... | ... |` or a digit and 位读者 after a bar; a
// sidebar heading or a pagination bar (page numbers and arrows: an arrow or two numbers) ends a post; a
// sidebar heading is never a title, nor is the first item under a list of posts (随机文章), nor a
// comment (`name: text`) under a list of comments (最近评论, 最新评论); from a sidebar heading to the next
// post, a header-like line is sidebar noise, without a warning.
const HEADER_LIKE = /^\s*By\s[^|｜]*[|｜][^|｜]*[|｜]|[|｜][^|｜]*\d\s*位读者/u;
const SIDEBAR_HEADINGS = ['最近评论', '随机文章', '最新评论', '热门标签', '友情链接', '点击加载更多'];
const PAGINATION = ['« 1 2 3 »', '‹ 上一页 1 2 … 9 下一页 ›', '1 2 3 4 5', '下一页 »', '« 上一页'];
const isHeading = (line: string): boolean => SIDEBAR_HEADINGS.includes(line.trim());
const POST_LISTS = ['随机文章'];
const COMMENT_LISTS = ['最近评论', '最新评论'];
const isComment = (line: string): boolean => {
  const colon = line.search(/[:：]/u);
  const name = line.slice(0, colon);
  return colon >= 1 && colon <= 24 && colon < line.length - 1 && name.trim() === name && !/[,，。.!！?？()（）《》【】|｜]/u.test(name);
};
const isNoise = (line: string): boolean => {
  const t = line.trim();
  return isHeading(t) || (/^(?:[«»‹›]|上一页|下一页|\d+|…|\.\.\.|\s)+$/u.test(t) && /[«»‹›]|上一页|下一页|\d+\s+\d+/u.test(t));
};

const TITLE_PIECES = [
  '生成扩散模型漫谈',
  '(一)',
  ':',
  'DDPM = 拆楼 + 建楼',
  '【搜出来的文本】',
  '⋅',
  '(三)',
  'BERT',
  '流形上的最速下降',
  '5. ',
  'Attention',
  '|',
  '｜',
  '2021',
  '[1]',
  'Nyströmformer',
  '“新范式”',
  '😀',
  'By the way',
  // A short line followed by a header is a title, whatever it says (but a sidebar heading).
  '最近评论的',
  '« 1 2 3 »',
];
const PARAGRAPH_PIECES = [
  '从这一篇开始,我们就将前面所介绍的采样算法应用到具体的文本生成例子中。',
  '标准Attention的$\\mathcal{O}(n^2)$复杂度',
  '\\begin{equation}\\mathcal{L} = \\sum_{i=1}^n \\alpha_i \\mathcal{L}_i\\end{equation}',
  '解码到<eos>为止',
  'a | b ｜ c',
  'By the way, this line starts like prose',
  'By 苏剑林 we mean the author',
  '幂次变换',
  '3',
  '…',
  'emoji 🎉 and full-width ，。！？',
  '"quoted" and \\backslash',
  '\t tab inside',
  'trailing spaces  ',
  '100位读者之外',
  '=SUM(A1)',
];
// Lines that start like a header but do not parse: each is a BROKEN_HEADER warning and stays text.
const BROKEN = [
  'By 苏剑林 | 2021-13-45 | 5位读者 | 引用坏日期',
  'By 苏剑林 | 2021-02-30 | 81,957位读者 |',
  'By  | 2021-01-22 | 5位读者 | 引用没有作者',
  'By 苏剑林 | 2021-01-22 | 位读者 | 引用',
  'By 苏剑林 | 2021-01-22 | 很多位读者 |',
  'By 苏剑林 | 2021-01-22 |',
  '详见 | 第3位读者的留言',
  'By Jianlin Su | 2026-03-19 | many readers |',
  'By Jianlin Su | March 19 | 5246 readers |',
  'By 苏剑林 | 2021-01-22 | 1,2345位读者 |',
];
// Page chrome and sidebar text: menus, post-title-like lists, comments, headings, pagination.
const CHROME = [
  '科学空间|Scientific Spaces',
  '首页  归档  关于  留言',
  '欢迎访问科学空间',
  '© 2009-2026 科学空间',
  '生成扩散模型漫谈(一):DDPM = 拆楼 + 建楼',
  'Transformer升级之路:2、博采众长的旋转式位置编码',
  '【搜出来的文本】⋅(三)基于BERT的文本采样',
  '苏剑林: 谢谢指出',
  'kk: 请问公式(3)怎么来的?',
  '2021-01-22 12:00',
  ...SIDEBAR_HEADINGS,
  ...PAGINATION,
];
const AUTHORS = ['苏剑林', 'Jianlin Su', '张三', 'J. Su'];
// White space around bars, before `By`, around titles and in blank lines: the parser's `\s`.
const SPACES = ['', ' ', '  ', '\t', '\u00a0', '\u3000', ' \u3000 ', '\u2003', '\u2009\u200a'];
const BLANKS = ['', ' ', '\t', '\u00a0', '\u3000', '\u3000\u3000', '\u2003', '\ufeff', '\u2028'];

const pieces = (from: readonly string[], min: number, max: number) =>
  fc.array(fc.constantFrom(...from), { minLength: min, maxLength: max }).map((p) => p.join(''));
const blank = fc.constantFrom(...BLANKS);
const space = fc.constantFrom(...SPACES);
const someSpace = fc.constantFrom(...SPACES.filter((s) => s !== ''));

/** A line of an excerpt, of the chrome or of a sidebar, and what the parser must make of it. */
type Line = { kind: 'text' | 'broken' | 'orphan' | 'blank'; text: string };

interface HeaderStyle {
  bar: string;
  before: string;
  after: string;
  indent: string;
  by: string;
  commas: boolean;
  countSpace: string;
  padDate: boolean;
  cite: boolean;
  lastBar: boolean;
  english: boolean;
}

const anyHeaderStyle: fc.Arbitrary<HeaderStyle> = fc.record({
  bar: fc.constantFrom('|', '｜'),
  before: space,
  after: space,
  indent: fc.constantFrom('', ' ', '\u3000', '\t', '\u00a0'),
  by: someSpace,
  commas: fc.boolean(),
  countSpace: fc.constantFrom('', ' '),
  padDate: fc.boolean(),
  cite: fc.boolean(),
  lastBar: fc.boolean(),
  english: fc.boolean(),
});

/** The seed's style (`By 苏剑林 | 2021-01-22 | 81957位读者 | 引用`), which the parser's fast path reads: one header in three. */
const seedHeaderStyle: fc.Arbitrary<HeaderStyle> = fc.record({ cite: fc.boolean(), lastBar: fc.boolean() }).map(({ cite, lastBar }) => ({
  bar: '|',
  before: ' ',
  after: ' ',
  indent: '',
  by: ' ',
  commas: false,
  countSpace: '',
  padDate: true,
  cite,
  lastBar,
  english: false,
}));

const headerStyle = fc.oneof({ weight: 2, arbitrary: anyHeaderStyle }, { weight: 1, arbitrary: seedHeaderStyle });

interface HeaderFields {
  author: string;
  date: [number, number, number];
  readers: number;
}

const headerFields: fc.Arbitrary<HeaderFields> = fc.record({
  author: fc.constantFrom(...AUTHORS),
  date: fc
    .date({ min: new Date('2009-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true })
    .map((d): [number, number, number] => [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()]),
  readers: fc.oneof(fc.nat({ max: 999 }), fc.nat({ max: 2_000_000 })),
});

const isoDate = ([y, m, d]: [number, number, number]): string => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** A header line (SPEC §2 grammar), with `glued` as its first paragraph. */
function headerLine(f: HeaderFields, s: HeaderStyle, glued: string | null): string {
  const bar = `${s.before}${s.bar}${s.after}`;
  const date = s.padDate ? isoDate(f.date) : f.date.join('-');
  const count = s.commas ? f.readers.toLocaleString('en-US') : String(f.readers);
  const cite = s.cite && !s.english ? '引用' : '';
  const tail = (s.lastBar ? bar : '') + cite;
  const gap = glued !== null && tail === '' ? ' ' : '';
  return `${s.indent}By${s.by}${f.author}${bar}${date}${bar}${count}${s.countSpace}${s.english ? 'readers' : '位读者'}${tail}${gap}${glued ?? ''}`;
}

const orphan: fc.Arbitrary<Line> = fc.tuple(headerFields, headerStyle).map(([f, s]) => ({ kind: 'orphan', text: headerLine(f, s, null) }));
const broken: fc.Arbitrary<Line> = fc
  .tuple(fc.constantFrom(...BROKEN), fc.constantFrom('', ' ', '\u3000'))
  .map(([b, indent]) => ({ kind: 'broken', text: indent + b }));

const paragraph: fc.Arbitrary<Line> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(fc.constantFrom('', '', '\u3000\u3000', '  '), pieces(PARAGRAPH_PIECES, 1, 3))
      .map(([indent, text]): Line => ({ kind: 'text', text: indent + text }))
      .filter((l) => l.text.trim() !== '' && !HEADER_LIKE.test(l.text) && !isNoise(l.text)),
  },
  { weight: 1, arbitrary: broken },
  { weight: 1, arbitrary: orphan },
);

const skippedLine: fc.Arbitrary<Line> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...CHROME).map((text): Line => ({ kind: 'text', text })) },
  { weight: 2, arbitrary: blank.map((text): Line => ({ kind: 'blank', text })) },
  { weight: 1, arbitrary: broken },
  { weight: 1, arbitrary: orphan },
);

const title = pieces(TITLE_PIECES, 1, 4)
  .map((t) => t.trim())
  .filter((t) => t !== '' && !HEADER_LIKE.test(t) && !isHeading(t));

/** A sidebar block after a post: a heading or pagination bar, what follows it, and maybe a second page (its BOM, its chrome). */
const sidebar = fc.record({
  starter: fc.tuple(fc.constantFrom('', ' ', '\u3000'), fc.constantFrom(...SIDEBAR_HEADINGS, ...PAGINATION)).map(([pad, s]) => `${pad}${s}${pad}`),
  lines: fc.array(skippedLine, { maxLength: 6 }),
  nextPageBom: fc.boolean(),
});

const post = fc.record({
  title,
  titlePad: fc.tuple(space, space),
  fields: headerFields,
  style: headerStyle,
  paragraphs: fc.array(paragraph, { maxLength: 4 }),
  firstOnNextLine: fc.boolean(),
  blanksBeforeHeader: fc.array(blank, { maxLength: 2 }),
  blankBetweenParagraphs: fc.option(blank, { nil: null }),
  sidebar: fc.option(sidebar, { freq: 3, nil: null }),
});

const dump = fc.record({
  chrome: fc.array(skippedLine, { maxLength: 5 }),
  posts: fc.array(post, { minLength: 1, maxLength: 5 }),
  eol: fc.constantFrom('\n', '\r\n', '\r', 'mixed'),
  mixed: fc.array(fc.constantFrom('\n', '\r\n', '\r'), { minLength: 1, maxLength: 7 }),
  bom: fc.boolean(),
  finalNewline: fc.boolean(),
});

type Dump = typeof dump extends fc.Arbitrary<infer T> ? T : never;

// ---------------------------------------------------------------------------------------------------
// Rendering a dump, and what it must parse to

// The inputs' name: readPieces reads standard input ('-'), and parse is told the same.
const SOURCE = '-';

/** A broken header's fault is left out (the data the test does not spell out): see `shape`. */
const warning = (code: 'BROKEN_HEADER' | 'NO_TITLE', line: number): Diagnostic =>
  code === 'BROKEN_HEADER' ? { ...diagnostic(code, 'warning', SOURCE, { fault: 'shape' }, line), detail: '' } : diagnostic(code, 'warning', SOURCE, {}, line);

/** The first 120 bytes of a line, cut between characters, trimmed: how a skipped range is quoted. */
function quoted(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  let cut = Math.min(bytes.length, 120);
  while (cut > 0 && cut < bytes.length && ((bytes[cut] as number) & 0xc0) === 0x80) cut--;
  return bytes.subarray(0, cut).toString('utf8').trim();
}

/** The dump's text, and the posts and diagnostics it must parse to. */
function render(d: Dump): { text: string; expected: ParseResult } {
  const lines: string[] = [];
  const posts: Post[] = [];
  // Each diagnostic with when the parser reports it: a warning at its line, a skipped range at the header that ends it.
  const events: Array<{ at: number; d: Diagnostic }> = [];
  let headerLike = false;
  // After a sidebar heading (until the next post): header-like lines warn no more. Right after a list
  // of posts: the next line is no title. Under a list of comments, a comment is no title.
  let inSidebar = false;
  let afterPostList = false;
  let inCommentList = false;
  const heading = (line: string): void => {
    const t = line.trim();
    afterPostList = POST_LISTS.includes(t);
    if (!isHeading(t)) return;
    inSidebar = true;
    inCommentList = COMMENT_LISTS.includes(t);
  };
  let range: { first: number; last: number } | null = null;
  const push = (text: string): number => lines.push(text);
  /** Appends a line of text to what is open (`excerpt`, or the skipped range); drops a titleless header that could not stand here (it would have a title). */
  const text = (l: Line, excerpt: string[] | null): void => {
    if (l.kind === 'blank') {
      push(l.text);
      return;
    }
    // A header with no title is one right after another header-like line (else the line above would be its title).
    if (l.kind === 'orphan' && !headerLike) return;
    const n = push(l.text);
    headerLike = l.kind !== 'text';
    if (excerpt === null) heading(l.text);
    if (l.kind === 'broken' && !inSidebar) events.push({ at: n, d: warning('BROKEN_HEADER', n) });
    if (l.kind === 'orphan' && !inSidebar) events.push({ at: n, d: warning('NO_TITLE', n) });
    if (excerpt !== null) excerpt.push(l.text);
    else if (range === null) range = { first: n, last: n };
    else range.last = n;
  };
  const closeRange = (at: number): void => {
    if (range === null) return;
    const count = range.last - range.first + 1;
    const start = quoted(lines[range.first - 1] ?? '');
    const detail = `${count} line${count === 1 ? '' : 's'} starting "${start}"`;
    const args = { lines: count, start };
    events.push({ at, d: { code: 'SKIPPED_NOISE', severity: 'info', source: SOURCE, line: range.first, endLine: range.last, detail, args } });
    range = null;
  };

  for (const l of d.chrome) text(l, null);
  let bom = '';
  for (const p of d.posts) {
    // A list of posts' first item, a heading that ends a list of comments: the title comes after them.
    if (afterPostList) text({ kind: 'text', text: '苏剑林: 谢谢指出' }, null);
    if (inCommentList && isComment(p.title)) text({ kind: 'text', text: '热门标签' }, null);
    push(`${bom}${p.titlePad[0]}${p.title}${p.titlePad[1]}`);
    for (const b of p.blanksBeforeHeader) push(b);
    const [first, ...others] = p.paragraphs;
    const glue = first?.kind === 'text' && !p.firstOnNextLine && !/^\s*(?:[|｜]|引用)/u.test(first.text) ? first : null;
    const header = push(headerLine(p.fields, p.style, glue?.text ?? null));
    closeRange(header);
    headerLike = true;
    inSidebar = false;
    afterPostList = false;
    inCommentList = false;
    const excerpt: string[] = glue === null ? [] : [glue.text.replace(/^\s+/u, '')];
    for (const [i, para] of (glue === null ? p.paragraphs : others).entries()) {
      if (i > 0 && p.blankBetweenParagraphs !== null) push(p.blankBetweenParagraphs);
      text(para, excerpt);
    }
    posts.push({
      title: p.title,
      author: p.fields.author,
      date: isoDate(p.fields.date),
      readers: p.fields.readers,
      excerpt: excerpt.join('\n'),
      url: null,
      id: null,
      source: SOURCE,
      line: header,
    });
    bom = '';
    if (p.sidebar !== null) {
      const n = push(p.sidebar.starter);
      range = { first: n, last: n };
      headerLike = false;
      heading(p.sidebar.starter);
      for (const l of p.sidebar.lines) text(l, null);
      // `cat page1.txt page2.txt`: the second page's BOM lands at the start of its first title.
      if (p.sidebar.nextPageBom) bom = '\ufeff';
    }
  }
  closeRange(Number.POSITIVE_INFINITY);

  let body = '';
  lines.forEach((line, i) => {
    const last = i === lines.length - 1;
    let eol = d.eol === 'mixed' ? (d.mixed[i % d.mixed.length] as string) : d.eol;
    // A lone CR before an empty line would read as CRLF: one line ending instead of two.
    if (eol === '\r' && !last && lines[i + 1] === '') eol = '\r\n';
    body += line + (last && !d.finalNewline ? '' : eol);
  });
  const diagnostics = events.sort((a, b) => a.at - b.at).map((e) => e.d);
  return { text: (d.bom ? '\ufeff' : '') + body, expected: { posts, diagnostics } };
}

/** Diagnostics without a broken header's reason, data or words (what the test does not spell out). */
const shape = (r: ParseResult): ParseResult => ({
  posts: r.posts,
  diagnostics: r.diagnostics.map((d) => (d.code === 'BROKEN_HEADER' ? { ...d, detail: '', args: { fault: 'shape' } } : d)),
});

async function* chunksOf(bytes: Uint8Array, sizes: number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length] ?? 1;
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

// Seeds fixed so that CI runs the same cases every time; a failure prints its counterexample.
const SEED = 20210122;

// ---------------------------------------------------------------------------------------------------

describe('parser properties', () => {
  it('parses every rendered dump back to its posts and diagnostics', () => {
    fc.assert(
      fc.property(dump, (d) => {
        const { text, expected } = render(d);
        expect(shape(parse(Buffer.from(text), { source: SOURCE }))).toEqual(expected);
        expect(shape(parse(text, { source: SOURCE }))).toEqual(expected);
      }),
      { numRuns: 600, seed: SEED },
    );
  });

  it('gives the same posts and diagnostics however the bytes are chunked', async () => {
    await fc.assert(
      fc.asyncProperty(dump, fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 }), async (d, sizes) => {
        const bytes = Buffer.from(render(d).text);
        const whole = parse(bytes, { source: SOURCE });
        const diagnostics: unknown[] = [];
        const posts: Post[] = [];
        for await (const p of parseStream(chunksOf(bytes, sizes), { source: SOURCE, onDiagnostic: (x) => diagnostics.push(x) })) posts.push(p);
        expect(posts).toEqual(whole.posts);
        expect(diagnostics).toEqual(whole.diagnostics);
      }),
      { numRuns: 300, seed: SEED + 1 },
    );
  });

  it('gives with its fast paths what the general code alone gives: the same posts and diagnostics, however the bytes are chunked', async () => {
    await fc.assert(
      fc.asyncProperty(dump, fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 }), async (d, sizes) => {
        const bytes = Buffer.from(render(d).text);
        const general = generalParse(bytes);
        expect(parse(bytes, { source: SOURCE })).toEqual(general);
        const diagnostics: unknown[] = [];
        const posts: Post[] = [];
        for await (const p of parseStream(chunksOf(bytes, sizes), { source: SOURCE, onDiagnostic: (x) => diagnostics.push(x) })) posts.push(p);
        expect({ posts, diagnostics }).toEqual(general);
      }),
      { numRuns: 300, seed: SEED + 6 },
    );
  });

  it('conserves every line: each non-blank line is in exactly one post span or one reported skipped range', () => {
    fc.assert(
      fc.property(dump, (d) => {
        const { text } = render(d);
        expect(unaccounted(text, parse(text, { source: SOURCE }))).toEqual([]);
      }),
      { numRuns: 600, seed: SEED + 2 },
    );
  });

  it('the conservation check is not vacuous: a lost line, a line in two places, a wrong title are caught', () => {
    const text = 'chrome\nT1\nBy a | 2021-01-01 | 1位读者 | 引用x\ny\n最近评论\nz\nT2\nBy a | 2021-01-02 | 2位读者 |\n';
    const result = parse(text, { source: SOURCE });
    expect(unaccounted(text, result)).toEqual([]);
    const [p1, p2] = result.posts as [Post, Post];
    const skip = result.diagnostics.filter((x) => x.code === 'SKIPPED_NOISE');
    expect(unaccounted(text, { ...result, posts: [{ ...p1, excerpt: 'x' }, p2] })).toEqual(['post 0: excerpt "x" is not the lines of its span "y"']);
    expect(unaccounted(text, { ...result, diagnostics: skip.slice(1) })).toEqual(['line 1 "chrome" is in no post and in no skipped range']);
    expect(unaccounted(text, { ...result, posts: [p1, { ...p2, title: 'T3' }] })).toEqual(['post 1: title "T3" is not its title line "T2"']);
    expect(unaccounted(text, { ...result, diagnostics: [...skip, { ...(skip[1] as Diagnostic), line: 4 }] })).toEqual([
      'line 5 "最近评论" is in skipped range 1 (5-6) and in skipped range 2 (4-6)',
      'line 6 "z" is in skipped range 1 (5-6) and in skipped range 2 (4-6)',
      'post 0: excerpt "x\\ny" is not the lines of its span ""',
    ]);
  });

  it('the records read back from every format: csv-parse, one JSON value per JSON Lines line, one CommonMark heading per post', () => {
    fc.assert(
      fc.property(dump, (d) => {
        const { posts } = parse(render(d).text, { source: SOURCE });
        expect(readCsv(formatCsv(posts), false)).toEqual(posts.map((p) => expectedRow(p, false)));
        expect(readCsv(formatCsv(posts, { excel: true }), true)).toEqual(posts.map((p) => expectedRow(p, true)));
        const lines = formatJsonLines(posts).split('\n');
        expect(lines.pop()).toBe('');
        expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(posts);
        const headings = allNodes(markdownParser.parse(formatMarkdown(posts))).filter((n) => n.type === 'heading');
        expect(headings.map((h) => [h.level, textOf(h)])).toEqual(posts.map((p) => [2, p.title]));
      }),
      { numRuns: 200, seed: SEED + 3 },
    );
  });
});

describe('white space is what JavaScript calls white space', () => {
  it('a line of em spaces, a BOM or U+2028 is blank: never a title, never an excerpt paragraph', () => {
    for (const space of ['\u2003', '\u2009\u200a', '\ufeff', '\u2028', '\u202f\u205f\u1680']) {
      const text = `T\n${space}\nBy 苏剑林 | 2021-01-22 | 1位读者 | 引用x\n${space}\ny\n`;
      expect(parse(text).posts.map((p) => [p.title, p.excerpt])).toEqual([['T', 'x\ny']]);
      const { posts, diagnostics } = parse(`${space}\nBy 苏剑林 | 2021-01-22 | 1位读者 |\n`);
      expect(posts).toEqual([]);
      expect(diagnostics.map((x) => x.code)).toEqual(['NO_TITLE', 'SKIPPED_NOISE', 'NO_POSTS']);
    }
  });

  it('an em space before By or around a sidebar heading changes nothing', () => {
    const text = 'T\n\u2003By Jianlin Su | 2026-03-19 | 5246 readers |\nx\n\u2003最近评论\u2003\nsidebar\n';
    expect(parse(text).posts.map((p) => [p.title, p.excerpt, p.line])).toEqual([['T', 'x', 2]]);
  });
});

// ---------------------------------------------------------------------------------------------------
// Encodings

/** The dump with the characters an encoding lacks replaced (white space by a space, the full-width bar by |, the rest by ?). */
function foldInto(text: string, has: (ch: string) => boolean): string {
  let out = '';
  for (const ch of text) out += has(ch) ? ch : /\s/u.test(ch) ? ' ' : ch === '｜' ? '|' : '?';
  return out;
}

/** Every offset of a multi-byte encoding is a cut of its own; single-byte encodings are cut everywhere at once (one byte at a time). */
const MULTI_BYTE = new Set(['utf-8', 'gbk', 'gb18030', 'big5', 'euc-jp', 'shift_jis', 'euc-kr', 'utf-16be', 'utf-16le']);

describe.each(ENCODINGS)('%s: encode → parse is the identity', (encoding) => {
  const has = representable(encoding);
  const chinese = has('位') && has('读') && has('者');
  it(`whole, one byte at a time${MULTI_BYTE.has(encoding) ? ', and in two pieces cut at every offset' : ''}`, () => {
    expect(['\n', '\r', 'B', 'y', '|', '0', '9'].every(has)).toBe(true);
    fc.assert(
      fc.property(dump, (d) => {
        // Without 位读者 in the encoding, every header is the English one.
        const posts = chinese ? d.posts : d.posts.map((p) => ({ ...p, style: { ...p.style, english: true } }));
        const text = foldInto(render({ ...d, bom: false, posts: posts.slice(0, 2) }).text, has);
        const expected = JSON.stringify(generalParse(text));
        const bytes = iconv.encode(text, encoderName(encoding));
        expect(JSON.stringify(readPieces([bytes], encoding))).toBe(expected);
        expect(
          JSON.stringify(
            readPieces(
              [...bytes].map((b) => Uint8Array.of(b)),
              encoding,
            ),
          ),
        ).toBe(expected);
        if (!MULTI_BYTE.has(encoding)) return;
        for (let at = 1; at < bytes.length; at++) {
          const got = JSON.stringify(readPieces([bytes.subarray(0, at), bytes.subarray(at)], encoding));
          if (got !== expected) expect(got, `cut at ${at}`).toBe(expected);
        }
      }),
      { numRuns: MULTI_BYTE.has(encoding) ? 6 : 3, seed: SEED + 4 },
    );
  });
});

describe.each([
  ['utf-8', Buffer.alloc(0)],
  ['utf-8', Buffer.from([0xef, 0xbb, 0xbf])],
  ['utf-16le', Buffer.from([0xff, 0xfe])],
  ['utf-16be', Buffer.from([0xfe, 0xff])],
  ['gb18030', Buffer.alloc(0)],
])('auto-detected %s (BOM %s): encode → parse is the identity at every cut', (encoding, bom) => {
  it('whole, one byte at a time, and in two pieces cut at every offset', () => {
    fc.assert(
      fc.property(dump, (d) => {
        const text = render({ ...d, bom: false, posts: d.posts.slice(0, 3) }).text;
        const expected = JSON.stringify(generalParse(text));
        const bytes = Buffer.concat([bom, iconv.encode(text, encoding)]);
        expect(JSON.stringify(readPieces([bytes], 'auto'))).toBe(expected);
        expect(
          JSON.stringify(
            readPieces(
              [...bytes].map((b) => Uint8Array.of(b)),
              'auto',
            ),
          ),
        ).toBe(expected);
        for (let at = 1; at < bytes.length; at++) {
          const got = JSON.stringify(readPieces([bytes.subarray(0, at), bytes.subarray(at)], 'auto'));
          if (got !== expected) expect(got, `cut at ${at}`).toBe(expected);
        }
      }),
      { numRuns: 8, seed: SEED + 5 },
    );
  });
});
