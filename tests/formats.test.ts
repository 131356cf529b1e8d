import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Node } from 'commonmark';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeJsonString } from '../src/format/json.js';
import { mathSpans } from './helpers/markdown-reference.js';
import { OutputBuffer } from '../src/format/output-buffer.js';
import { formatCsv, formatJson, formatJsonLines, formatMarkdown, parse, type Post } from '../src/index.js';
import { allNodes, expectedRow, FIELDS, markdownParser as parser, readCsv, textOf } from './helpers/read-back.js';

// ---------------------------------------------------------------------------------------------------
// Fixtures

function load(path: string): Post[] {
  const { posts } = parse(readFileSync(new URL(`../${path}`, import.meta.url)), { source: path });
  return posts;
}

const seed = load('fixtures/seed.txt');
const tricky = load('fixtures/formats/tricky.txt');

// LaTeX spans of each fixture, as they appear in the excerpts (the test's own list, not the formatter's).
const SEED_MATH = [
  '$\\mathcal{O}(n^2)$',
  '$n$',
  '$(p_1,p_2,\\cdots,p_n)$',
  '\\begin{equation}\\mathcal{H} = -\\sum_i p_i \\log p_i = \\mathbb{E}[-\\log p_i]\\end{equation}',
  '$\\mathcal{L}_1,\\mathcal{L}_2,\\cdots,\\mathcal{L}_n$',
  '$\\alpha_1,\\alpha_2,\\cdots,\\alpha_n\\geq 0$',
  '\\begin{equation}\\mathcal{L} = \\sum_{i=1}^n \\alpha_i \\mathcal{L}_i\\label{eq:w-loss}\\end{equation}',
  '$\\alpha_i$',
];
const TRICKY_MATH = [
  '$a*b*c$',
  '\\(x_1 + y_1\\)',
  '$$\\sum_i x_i$$',
  '\\begin{equation}\nf(x) = x^2 \\label{eq:f}\n+ g(x)\n\\end{equation}',
  '\\[\n- a_1 = b_1\n\\]',
];

interface Fixture {
  name: 'seed' | 'tricky';
  posts: Post[];
  math: readonly string[];
}
const FIXTURES: readonly Fixture[] = [
  { name: 'seed', posts: seed, math: SEED_MATH },
  { name: 'tricky', posts: tricky, math: TRICKY_MATH },
];

// Hand-made posts: a url (HTML input gives one), a null reader count, a source path with a space.
const HAND: Post[] = [
  {
    title: 'Linked [post] *one* <eos>',
    author: 'Jianlin Su',
    date: '2026-03-19',
    readers: null,
    excerpt: 'Body with <eos> and $x^2$.\nSecond paragraph.',
    url: 'https://kexue.fm/archives/8128',
    id: 8128,
    source: '-',
    line: 1,
  },
  {
    title: 'A url with (parentheses), _underscores_ and *stars*',
    author: '苏剑林',
    date: '2024-02-29',
    readers: 0,
    excerpt: 'x',
    url: 'https://spaces.ac.cn/search/a_b*c(1)/',
    id: null,
    source: 'dir with space/dump.txt',
    line: 12,
  },
  {
    title: 'A url with a space',
    author: '苏剑林',
    date: '2021-01-05',
    readers: 42,
    excerpt: '',
    url: 'https://kexue.fm/archives/9 9',
    id: 99,
    source: '=cmd.txt',
    line: 3,
  },
];

// Cells no parser gives but the CSV guard must still cover: CR, LF and TAB at the start of a cell.
const CONTROL_STARTS: Post[] = [
  { ...HAND[0]!, title: '\rstarts with a carriage return', author: '\tTab author', excerpt: '\nstarts with a newline' },
  { ...HAND[1]!, title: '\nnewline title', author: '\r\nCRLF author', excerpt: '\r\nCRLF first' },
];

// Every format and variant, through the library face.
type Variant = 'json' | 'compact.json' | 'jsonl' | 'csv' | 'excel.csv' | 'md' | 'table.md';
function render(posts: Post[], variant: Variant): string {
  switch (variant) {
    case 'json':
      return formatJson(posts);
    case 'compact.json':
      return formatJson(posts, { compact: true });
    case 'jsonl':
      return formatJsonLines(posts);
    case 'csv':
      return formatCsv(posts);
    case 'excel.csv':
      return formatCsv(posts, { excel: true });
    case 'md':
      return formatMarkdown(posts);
    case 'table.md':
      return formatMarkdown(posts, { table: true });
  }
}
function renderStream(posts: AsyncIterable<Post>, variant: Variant): AsyncGenerator<string> {
  switch (variant) {
    case 'json':
      return formatJson(posts);
    case 'compact.json':
      return formatJson(posts, { compact: true });
    case 'jsonl':
      return formatJsonLines(posts);
    case 'csv':
      return formatCsv(posts);
    case 'excel.csv':
      return formatCsv(posts, { excel: true });
    case 'md':
      return formatMarkdown(posts);
    case 'table.md':
      return formatMarkdown(posts, { table: true });
  }
}
const ALL_VARIANTS: readonly Variant[] = ['json', 'compact.json', 'jsonl', 'csv', 'excel.csv', 'md', 'table.md'];

// ---------------------------------------------------------------------------------------------------
// Goldens: generated with `vitest -u`, then read and checked by hand against the brief. Three differ from
// what src gives today and are hand-corrected: seed.table.md and tricky.table.md (the brief's table is
// title, author, date, readers; src writes all nine fields) and the `## ＠全角at开头的标题 \#` line of
// tricky.md (an unescaped trailing ` #` is an ATX closing sequence and drops out of the title). Running
// `-u` before src is fixed would write the bugs into them.

describe('golden outputs', () => {
  const goldens: Array<[Fixture, Variant]> = [
    ...ALL_VARIANTS.map((v): [Fixture, Variant] => [FIXTURES[0] as Fixture, v]),
    ...ALL_VARIANTS.filter((v) => v !== 'compact.json').map((v): [Fixture, Variant] => [FIXTURES[1] as Fixture, v]),
  ];

  it('the fixtures parse as written (tricky: 13 posts, no diagnostics)', () => {
    expect(seed).toHaveLength(8);
    const { posts, diagnostics } = parse(readFileSync(new URL('../fixtures/formats/tricky.txt', import.meta.url)), { source: 'x' });
    expect(diagnostics).toEqual([]);
    expect(posts).toHaveLength(13);
    expect(tricky.map((p) => p.title)).toEqual([
      '<eos> & <b>bold</b> &amp; *stars* _under_ [brackets](x) `tick` | pipe "quoted", comma',
      "=cmd|' /C calc'!A0 formula title",
      '+ plus title',
      '-minus title',
      '@handle title',
      '＝全角等号开头的标题',
      '＋全角加号开头的标题',
      '－全角减号开头的标题',
      '＠全角at开头的标题 #',
      'Tab-led excerpt',
      '😀 表情与「中文标点」：，。！？、《》【】……——🎉',
      'No excerpt at all',
      'Last post',
    ]);
    expect(tricky.map((p) => p.excerpt.slice(0, 1))).toEqual(['<', '+', '-', '@', '＝', '＋', '－', '＠', '=', '\t', '👩‍💻'.slice(0, 1), '', 'T']);
    expect(tricky[0]?.excerpt.split('\n')).toContain('Tab\tinside (a literal tab) and trailing spaces   ');
  });

  for (const [fixture, variant] of goldens) {
    it(`${fixture.name}.${variant}`, async () => {
      const text = render(fixture.posts, variant);
      await expect(text).toMatchFileSnapshot(`../fixtures/golden/${fixture.name}.${variant}`);
    });
  }

  it('the Excel goldens are byte-exact on disk: BOM, CRLF (a file snapshot forgives CRLF vs LF)', () => {
    for (const fixture of FIXTURES) {
      const golden = readFileSync(new URL(`../fixtures/golden/${fixture.name}.excel.csv`, import.meta.url));
      expect([...golden.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(golden.subarray(-2).toString('latin1')).toBe('\r\n');
      expect(golden.equals(Buffer.from(formatCsv(fixture.posts, { excel: true }), 'utf8')), fixture.name).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// JSON and JSON Lines

describe('JSON', () => {
  const sets: Array<[string, Post[]]> = [
    ['seed', seed],
    ['tricky', tricky],
    ['hand-made', HAND],
    ['empty', []],
  ];
  for (const [name, posts] of sets) {
    it(`${name}: pretty output is JSON.stringify(posts, null, 2) + "\\n"`, () => {
      expect(formatJson(posts)).toBe(`${JSON.stringify(posts, null, 2)}\n`);
    });
    it(`${name}: compact output is JSON.stringify(posts) + "\\n"`, () => {
      expect(formatJson(posts, { compact: true })).toBe(`${JSON.stringify(posts)}\n`);
    });
    it(`${name}: JSON.parse gives the posts back, keys in record order`, () => {
      const back: unknown = JSON.parse(formatJson(posts));
      expect(back).toEqual(posts);
      for (const record of back as Record<string, unknown>[]) expect(Object.keys(record)).toEqual(FIELDS);
    });
    it(`${name}: JSON Lines is one JSON.stringify(post) per line, each parsing on its own`, () => {
      const text = formatJsonLines(posts);
      expect(text).toBe(posts.map((p) => `${JSON.stringify(p)}\n`).join(''));
      const lines = text.split('\n');
      expect(lines.pop()).toBe('');
      expect(lines).toHaveLength(posts.length);
      lines.forEach((line, i) => {
        expect(JSON.parse(line)).toEqual(posts[i]);
      });
    });
  }

  it('non-ASCII is not escaped and there is no BOM', () => {
    const text = formatJson(seed);
    expect(text.startsWith('[\n  {\n    "title": "【搜出来的文本】⋅(三)基于BERT的文本采样",')).toBe(true);
    expect(text).not.toMatch(/\\u[0-9a-f]{4}/i);
    expect(formatJsonLines(tricky).charCodeAt(0)).toBe(0x7b);
  });
});

// ---------------------------------------------------------------------------------------------------
// jq, the consumer the README advertises

function jq(args: readonly string[], input: string): string {
  const result = spawnSync('jq', [...args], { input, encoding: 'utf8' });
  if (result.error) throw result.error;
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout;
}

describe('jq reads the output', () => {
  for (const { name, posts } of FIXTURES) {
    it(`${name}: jq -r .title on JSON Lines gives the titles`, () => {
      expect(jq(['-r', '.title'], formatJsonLines(posts))).toBe(posts.map((p) => `${p.title}\n`).join(''));
    });
    it(`${name}: jq -s 'map(.readers) | add' gives the sum of readers`, () => {
      const sum = posts.reduce((s, p) => s + (p.readers ?? 0), 0);
      expect(jq(['-s', 'map(.readers) | add'], formatJsonLines(posts))).toBe(`${sum}\n`);
    });
    it(`${name}: jq 'length' on the JSON array, compact and pretty`, () => {
      expect(jq(['length'], formatJson(posts))).toBe(`${posts.length}\n`);
      expect(jq(['length'], formatJson(posts, { compact: true }))).toBe(`${posts.length}\n`);
    });
    it(`${name}: every excerpt survives jq byte for byte`, () => {
      const out = jq(['-c', '[.excerpt, .line, .url, .id]'], formatJsonLines(posts));
      const rows = out
        .trimEnd()
        .split('\n')
        .map((l): unknown => JSON.parse(l));
      expect(rows).toEqual(posts.map((p) => [p.excerpt, p.line, p.url, p.id]));
      expect(jq(['-r', '.[].date'], formatJson(posts))).toBe(posts.map((p) => `${p.date}\n`).join(''));
    });
  }

  it("the README's select(.readers > 100000) example", () => {
    const big = seed.filter((p) => (p.readers ?? 0) > 100000).map((p) => `${p.title}\n`);
    expect(big).toHaveLength(3);
    expect(jq(['-r', 'select(.readers > 100000) | .title'], formatJsonLines(seed))).toBe(big.join(''));
  });

  it('arbitrary strings survive jq (a batch of generated posts)', () => {
    const posts = fc.sample(postArb(anyString), { numRuns: 300, seed: 7 });
    const out = jq(['-c', '[.title, .excerpt, .author]'], formatJsonLines(posts));
    const rows = out
      .trimEnd()
      .split('\n')
      .map((l): unknown => JSON.parse(l));
    expect(rows).toEqual(posts.map((p) => [p.title, p.excerpt, p.author]));
  });
});

// ---------------------------------------------------------------------------------------------------
// CSV

/** The text with every quoted field replaced by `""`: what is left are delimiters and record ends. */
function outsideQuotes(text: string): string {
  return text.replace(/"(?:[^"]|"")*"/g, '""');
}

describe('CSV', () => {
  const sets: Array<[string, Post[]]> = [
    ['seed', seed],
    ['tricky', tricky],
    ['hand-made', HAND],
    ['control characters', CONTROL_STARTS],
  ];
  for (const [name, posts] of sets) {
    it(`${name}: csv-parse reads back the posts (numbers as strings, null as empty)`, () => {
      const text = formatCsv(posts);
      expect(text.startsWith(`${FIELDS.join(',')}\n`)).toBe(true);
      expect(readCsv(text, false)).toEqual(posts.map((p) => expectedRow(p, false)));
      const bare = outsideQuotes(text);
      expect(bare).not.toContain('\r');
      expect(bare.split('\n')).toHaveLength(posts.length + 2);
      expect(text.endsWith('\n')).toBe(true);
    });
    it(`${name}: Excel variant: BOM, CRLF record ends, formula-like cells guarded with '`, () => {
      const text = formatCsv(posts, { excel: true });
      expect(text.startsWith(`\uFEFF${FIELDS.join(',')}\r\n`)).toBe(true);
      expect(readCsv(text, true)).toEqual(posts.map((p) => expectedRow(p, true)));
      const bare = outsideQuotes(text);
      expect(bare).not.toMatch(/\r(?!\n)|(?<!\r)\n/);
      expect(bare.split('\r\n')).toHaveLength(posts.length + 2);
      expect(text.endsWith('\r\n')).toBe(true);
    });
  }

  it('the tricky dump has a guarded title and a guarded excerpt for each of = + - @ ＝ ＋ － ＠, and a TAB excerpt', () => {
    const rows = readCsv(formatCsv(tricky, { excel: true }), true);
    for (const c of ['=', '+', '-', '@', '＝', '＋', '－', '＠']) {
      expect(
        rows.some((r) => r.title?.startsWith(`'${c}`)),
        `title ${c}`,
      ).toBe(true);
      expect(
        rows.some((r) => r.excerpt?.startsWith(`'${c}`)),
        `excerpt ${c}`,
      ).toBe(true);
    }
    expect(rows.some((r) => r.excerpt?.startsWith("'\t"))).toBe(true);
    // Text that merely contains = later on, and cells starting with other characters, are left alone.
    expect(rows.find((r) => r.title === 'Tab-led excerpt')).toBeDefined();
    expect(rows.find((r) => r.excerpt === 'The end.')).toBeDefined();
  });

  it('Excel guard covers CR, LF and TAB at a cell start, and the stdin source "-"', () => {
    const rows = readCsv(formatCsv(CONTROL_STARTS, { excel: true }), true);
    expect(rows[0]).toMatchObject({ title: "'\rstarts with a carriage return", author: "'\tTab author", excerpt: "'\nstarts with a newline", source: "'-" });
    expect(rows[1]).toMatchObject({ title: "'\nnewline title", author: "'\r\nCRLF author", excerpt: "'\r\nCRLF first" });
    expect(readCsv(formatCsv(HAND, { excel: true }), true)[2]?.source).toBe("'=cmd.txt");
  });

  it('numbers are never prefixed, even negative ones', () => {
    const post: Post = { ...HAND[0]!, readers: -5, id: -1, line: 7 };
    const text = formatCsv([post], { excel: true });
    expect(text.split('\r\n')[1]).toMatch(/,-5,/);
    expect(readCsv(text, true)[0]).toMatchObject({ readers: '-5', id: '-1', line: '7' });
    // Plain CSV guards nothing.
    expect(readCsv(formatCsv(HAND), false)[2]?.source).toBe('=cmd.txt');
  });
});

// ---------------------------------------------------------------------------------------------------
// Markdown, read by a CommonMark parser

function children(node: Node): Node[] {
  const out: Node[] = [];
  for (let c = node.firstChild; c !== null; c = c.next) out.push(c);
  return out;
}

/** Top-level blocks of the document, grouped per level-2 heading. */
function sections(doc: Node): Array<{ heading: Node; blocks: Node[] }> {
  const out: Array<{ heading: Node; blocks: Node[] }> = [];
  for (const block of children(doc)) {
    if (block.type === 'heading' && block.level === 2) out.push({ heading: block, blocks: [] });
    else out.at(-1)?.blocks.push(block);
  }
  return out;
}

/**
 * The excerpt's paragraphs as the Markdown should show them: one per line, except that a LaTeX span
 * running over several lines keeps them together. `math` tells whether a unit holds LaTeX.
 */
function units(excerpt: string, math: readonly string[]): Array<{ text: string; math: boolean }> {
  if (excerpt === '') return [];
  const lines = excerpt.split('\n');
  const joinNext = new Array<boolean>(lines.length).fill(false);
  const isMath = new Array<boolean>(lines.length).fill(false);
  for (const span of math) {
    for (let at = excerpt.indexOf(span); at >= 0; at = excerpt.indexOf(span, at + 1)) {
      const first = excerpt.slice(0, at).split('\n').length - 1;
      const last = first + span.split('\n').length - 1;
      for (let i = first; i <= last; i++) isMath[i] = true;
      for (let i = first; i < last; i++) joinNext[i] = true;
    }
  }
  const out: Array<{ text: string; math: boolean }> = [];
  let current: { text: string; math: boolean } | null = null;
  lines.forEach((line, i) => {
    if (current === null) current = { text: line, math: isMath[i] === true };
    else current = { text: `${current.text}\n${line}`, math: current.math || isMath[i] === true };
    if (joinNext[i] !== true) {
      out.push(current);
      current = null;
    }
  });
  return out;
}

/**
 * What a CommonMark paragraph keeps of a line: leading and trailing blanks go (commonmark.js trims with
 * String.prototype.trim, so any Unicode white space at the ends goes too).
 */
const paragraphText = (s: string): string => s.trim();

function metaLine(p: Post): string {
  return [p.author, p.date, ...(p.readers === null ? [] : [`${p.readers} readers`])].join(' · ');
}

describe('Markdown', () => {
  const sets: Array<{ name: string; posts: Post[]; math: readonly string[] }> = [...FIXTURES, { name: 'hand-made', posts: HAND, math: ['$x^2$'] }];
  for (const { name, posts, math } of sets) {
    describe(name, () => {
      const md = formatMarkdown(posts);
      const doc = parser.parse(md);

      it('one level-2 heading per post, its text equal to the title; no other heading', () => {
        const headings = allNodes(doc).filter((n) => n.type === 'heading');
        expect(headings.map((h) => h.level)).toEqual(posts.map(() => 2));
        expect(headings.map(textOf)).toEqual(posts.map((p) => p.title));
      });

      it('no raw HTML: <eos> and friends render as text', () => {
        expect(allNodes(doc).filter((n) => n.type === 'html_inline' || n.type === 'html_block')).toEqual([]);
      });

      it('a metadata line "author · date · N readers" under each heading', () => {
        const secs = sections(doc);
        expect(secs).toHaveLength(posts.length);
        secs.forEach((s, i) => {
          const meta = s.blocks[0];
          expect(meta?.type).toBe('paragraph');
          expect(meta && textOf(meta)).toBe(metaLine(posts[i]!));
        });
      });

      it('each non-math excerpt paragraph renders as exactly its source text', () => {
        const secs = sections(doc);
        posts.forEach((p, i) => {
          const rendered = (secs[i]?.blocks ?? []).slice(1).map((b) => (b.type === 'paragraph' ? textOf(b) : `<${b.type}>`));
          const expected = units(p.excerpt, math)
            .filter((u) => !u.math)
            .map((u) => paragraphText(u.text));
          // In order, each as a paragraph of its own (math paragraphs may sit in between).
          let at = 0;
          for (const want of expected) {
            const found = rendered.indexOf(want, at);
            expect(found, `post ${i}: ${JSON.stringify(want)} in ${JSON.stringify(rendered)}`).toBeGreaterThanOrEqual(at);
            at = found + 1;
          }
        });
      });

      it('LaTeX spans appear byte for byte in the Markdown source', () => {
        const all = posts.map((p) => p.excerpt).join('\n');
        for (const span of math) {
          expect(all.includes(span), `fixture holds ${span}`).toBe(true);
          expect(md.includes(span), span).toBe(true);
        }
      });

      // A LaTeX span over several lines is kept byte for byte, so a line inside it such as `+ g(x)` reads as
      // a list item to a plain CommonMark parser (math-aware renderers such as pandoc keep the environment
      // whole). Posts holding such a span are left out here; the byte-for-byte test above covers them.
      it('every excerpt paragraph (single-line math included) is one Markdown paragraph, in order', () => {
        const secs = sections(doc);
        posts.forEach((p, i) => {
          const want = units(p.excerpt, math);
          if (want.some((u) => u.math && u.text.includes('\n'))) return;
          const blocks = (secs[i]?.blocks ?? []).slice(1);
          expect(
            blocks.map((b) => b.type),
            `post ${i}`,
          ).toEqual(want.map(() => 'paragraph'));
          want.forEach((u, j) => {
            const b = blocks[j];
            if (b === undefined) return;
            if (!u.math) {
              expect(textOf(b)).toBe(paragraphText(u.text));
              return;
            }
            // The paragraph's source lines hold its LaTeX spans whole.
            const [[startLine], [endLine]] = b.sourcepos;
            const source = md
              .split('\n')
              .slice(startLine - 1, endLine)
              .join('\n');
            for (const span of math) if (u.text.includes(span)) expect(source).toContain(span);
          });
        });
      });
    });
  }

  it('the title links to the url when the post has one', () => {
    const doc = parser.parse(formatMarkdown(HAND));
    const headings = allNodes(doc).filter((n) => n.type === 'heading');
    const links = headings.map((h) => allNodes(h).find((n) => n.type === 'link'));
    expect(links.map((l) => l?.destination)).toEqual([
      'https://kexue.fm/archives/8128',
      'https://spaces.ac.cn/search/a_b*c(1)/',
      // A space cannot stand in a link destination: it is percent-encoded, which is the same address.
      'https://kexue.fm/archives/9%209',
    ]);
    expect(links.map((l) => (l ? textOf(l) : null))).toEqual(HAND.map((p) => p.title));
  });

  it('without a url the heading is plain text', () => {
    const doc = parser.parse(formatMarkdown(tricky));
    expect(allNodes(doc).filter((n) => n.type === 'link' || n.type === 'image')).toEqual([]);
    expect(formatMarkdown(seed).split('\n')[0]).toBe('## 【搜出来的文本】⋅(三)基于BERT的文本采样');
  });

  it('a title ending in " #" keeps its "#" (an ATX closing sequence would eat it)', () => {
    const doc = parser.parse(
      formatMarkdown([
        { ...HAND[0]!, url: null, title: 'C and C #' },
        { ...HAND[0]!, url: null, title: '排名 ##' },
      ]),
    );
    expect(
      allNodes(doc)
        .filter((n) => n.type === 'heading')
        .map(textOf),
    ).toEqual(['C and C #', '排名 ##']);
  });
});

// ---------------------------------------------------------------------------------------------------
// Markdown table

/** Splits a GFM table row into raw cells at unescaped pipes. */
function tableCells(row: string): string[] {
  expect(row.startsWith('|') && row.endsWith('|')).toBe(true);
  const cells: string[] = [];
  let cell = '';
  for (let i = 1; i < row.length; i++) {
    const c = row[i];
    if (c === '\\' && row[i + 1] === '|') {
      cell += '\\|';
      i++;
    } else if (c === '|') {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += c;
    }
  }
  return cells;
}

/** What a GFM renderer shows for a cell: `\|` is a pipe, the rest is CommonMark inline text. */
function cellText(cell: string): string {
  const doc = parser.parse(cell.replaceAll('\\|', '|'));
  const blocks = children(doc);
  if (blocks.length === 0) return '';
  expect(blocks.map((b) => b.type)).toEqual(['paragraph']);
  return textOf(blocks[0]!);
}

describe('Markdown table', () => {
  for (const { name, posts } of [...FIXTURES, { name: 'hand-made', posts: HAND }]) {
    it(`${name}: a GFM table of title, author, date, readers: header, delimiter, one row per post`, () => {
      const text = formatMarkdown(posts, { table: true });
      expect(text.endsWith('\n')).toBe(true);
      const lines = text.slice(0, -1).split('\n');
      expect(lines).toHaveLength(posts.length + 2);
      expect(tableCells(lines[0]!)).toEqual(['title', 'author', 'date', 'readers']);
      const delimiter = tableCells(lines[1]!);
      expect(delimiter).toHaveLength(4);
      for (const d of delimiter) expect(d).toMatch(/^:?-+:?$/);
      lines.slice(2).forEach((row, i) => {
        const p = posts[i]!;
        const cells = tableCells(row);
        expect(cells).toHaveLength(4);
        expect(cells.map(cellText)).toEqual([p.title, p.author, p.date, p.readers === null ? '' : String(p.readers)]);
      });
      // No raw HTML in any cell.
      expect(allNodes(parser.parse(lines.slice(2).join('\n').replaceAll('\\|', '|'))).filter((n) => n.type.startsWith('html'))).toEqual([]);
    });
  }

  it('a | inside a cell is escaped', () => {
    const text = formatMarkdown(tricky, { table: true });
    expect(text).toContain('\\| pipe "quoted", comma');
    expect(text).toContain("\\=cmd\\|' /C calc'!A0 formula title");
  });
});

// ---------------------------------------------------------------------------------------------------
// Streaming formatters

async function* asyncOf<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) {
    await Promise.resolve();
    yield item;
  }
}

async function collect(chunks: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

// Enough text to pass the formatters' chunk size several times.
const MANY: Post[] = Array.from({ length: 400 }, (_, i) => ({
  ...(i % 2 === 0 ? seed[i % seed.length]! : tricky[i % tricky.length]!),
  excerpt: `${'科学空间'.repeat(200)} "${i}" \\ <eos> $x_${i}$\n=${i}`,
  line: i + 1,
}));

describe('streaming formatters', () => {
  for (const variant of ALL_VARIANTS) {
    for (const [name, posts] of [
      ['seed', seed],
      ['tricky', tricky],
      ['empty', []],
      ['400 long posts', MANY],
    ] as Array<[string, Post[]]>) {
      it(`${variant}, ${name}: the chunks of an async iterable concatenate to the array form`, async () => {
        const chunks = await collect(renderStream(asyncOf(posts), variant));
        expect(chunks.join('')).toBe(render(posts, variant));
        // A table row holds no excerpt, so 400 rows stay within one chunk.
        if (posts === MANY && variant !== 'table.md') expect(chunks.length).toBeGreaterThan(2);
      });
    }
  }
});

// ---------------------------------------------------------------------------------------------------
// Properties

// Characters that stress escapers, mixed with arbitrary code points (lone surrogates excluded).
const nasty = fc.constantFrom(
  '"',
  '\\',
  '\n',
  '\r',
  '\t',
  '\u0000',
  '\u0001',
  '\u001f',
  '\u007f',
  '\u2028',
  '\u2029',
  '\uFEFF',
  ',',
  '=',
  '-',
  '＋',
  'é',
  '中',
  '😀',
  '/',
  '\b',
  '\f',
);
const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }),
  fc.string({ unit: fc.oneof(nasty, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 40 }),
);

function postArb(str: fc.Arbitrary<string>): fc.Arbitrary<Post> {
  return fc.record({
    title: str,
    author: str,
    date: fc.constant('2021-01-22'),
    readers: fc.option(fc.nat(), { nil: null }),
    excerpt: str,
    url: fc.option(str, { nil: null }),
    id: fc.option(fc.nat(), { nil: null }),
    source: str,
    line: fc.integer({ min: 1, max: 1_000_000 }),
  });
}

/** The byte-level JSON string escape of `bytes`, one byte at a time (the reference for the SWAR escaper). */
function referenceJsonBytes(bytes: Uint8Array): Buffer {
  const parts: Buffer[] = [Buffer.from('"')];
  for (const b of bytes) {
    if (b >= 0x20 && b !== 0x22 && b !== 0x5c) parts.push(Buffer.from([b]));
    else parts.push(Buffer.from(JSON.stringify(String.fromCharCode(b)).slice(1, -1), 'latin1'));
  }
  parts.push(Buffer.from('"'));
  return Buffer.concat(parts);
}

/** Runs the escaper on `bytes` placed at `offset` in a larger buffer whose other bytes all need escaping. */
function escapeAt(bytes: Uint8Array, offset: number, filler = 0x22): Buffer {
  const backing = new Uint8Array(offset + bytes.length + 8).fill(filler);
  backing.set(bytes, offset);
  const out = new OutputBuffer(4);
  writeJsonString(out, backing.subarray(offset, offset + bytes.length));
  return Buffer.from(out.take());
}

describe('properties', () => {
  it('JSON Lines of a post with arbitrary strings is JSON.stringify(post) + "\\n" (JSON and compact JSON too)', () => {
    fc.assert(
      fc.property(postArb(anyString), (post) => {
        expect(formatJsonLines([post])).toBe(`${JSON.stringify(post)}\n`);
        expect(formatJson([post], { compact: true })).toBe(`${JSON.stringify([post])}\n`);
        expect(formatJson([post, post])).toBe(`${JSON.stringify([post, post], null, 2)}\n`);
      }),
      { numRuns: 1000, seed: 20260319 },
    );
  });

  it('the escaper at every alignment: lengths 0..9, offsets 0..7, one special byte at each position', () => {
    const specials = ['"', '\\', '\n', '\u0000', '\u001f', ' ', '\u007f', 'é', '中', '😀'];
    for (let length = 0; length <= 9; length++) {
      for (let offset = 0; offset <= 7; offset++) {
        const cases = [''.padEnd(length, 'a')];
        for (let pos = 0; pos < length; pos++) {
          for (const s of specials) cases.push(`${'a'.repeat(pos)}${s}${'b'.repeat(length - pos - 1)}`);
        }
        for (const text of cases) {
          for (const filler of [0x22, 0x00, 0x5c, 0x41]) {
            const got = escapeAt(Buffer.from(text, 'utf8'), offset, filler);
            expect(got.toString('utf8'), `${JSON.stringify(text)} at offset ${offset}, filler ${filler}`).toBe(JSON.stringify(text));
          }
        }
      }
    }
  });

  it('the escaper equals JSON.stringify for arbitrary strings at offsets 0..3 mod 4', () => {
    fc.assert(
      fc.property(anyString, fc.integer({ min: 0, max: 7 }), (text, offset) => {
        expect(escapeAt(Buffer.from(text, 'utf8'), offset).toString('utf8')).toBe(JSON.stringify(text));
      }),
      { numRuns: 2000, seed: 42 },
    );
  });

  it('the escaper equals a byte-by-byte reference for arbitrary bytes (invalid UTF-8 included) at any offset', () => {
    const byte = fc.oneof(
      fc.integer({ min: 0, max: 255 }),
      fc.constantFrom(0x00, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x5b, 0x5c, 0x5d, 0x7f, 0x80, 0xa2, 0xdc, 0xff),
    );
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 70 }), fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 255 }), (values, offset, filler) => {
        const bytes = Uint8Array.from(values);
        expect(escapeAt(bytes, offset, filler).equals(referenceJsonBytes(bytes))).toBe(true);
      }),
      { numRuns: 3000, seed: 4 },
    );
  });

  it('CSV (plain and Excel) read back by csv-parse equals the posts for arbitrary strings', () => {
    fc.assert(
      fc.property(fc.array(postArb(anyString), { minLength: 1, maxLength: 4 }), (posts) => {
        expect(readCsv(formatCsv(posts), false)).toEqual(posts.map((p) => expectedRow(p, false)));
        expect(readCsv(formatCsv(posts, { excel: true }), true)).toEqual(posts.map((p) => expectedRow(p, true)));
      }),
      { numRuns: 500, seed: 81957 },
    );
  });

  // Markdown text outside math: arbitrary printable text (no LaTeX delimiters) must render as itself.
  const mdChar = fc.oneof(
    fc.constantFrom(
      '#',
      '*',
      '_',
      '`',
      '[',
      ']',
      '(',
      ')',
      '<',
      '>',
      '&',
      ';',
      '!',
      '~',
      '|',
      '-',
      '+',
      '=',
      '.',
      ')',
      '1',
      ' ',
      '\t',
      '\\',
      '"',
      "'",
      ':',
      '/',
      '中',
      '＃',
      'a',
    ),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  );
  const mdLine = fc.string({ unit: mdChar, minLength: 1, maxLength: 30 }).filter((s) => !/[$\u0000-\u0008\u000a-\u001f\u007f]|\\[([]|\\begin|^[ \t]*$/.test(s));

  it('Markdown: an arbitrary title renders as a heading whose text is the title', () => {
    fc.assert(
      fc.property(
        mdLine.map((s) => s.trim()).filter((s) => s !== ''),
        (title) => {
          const doc = parser.parse(formatMarkdown([{ ...HAND[0]!, url: null, title }]));
          const headings = allNodes(doc).filter((n) => n.type === 'heading');
          expect(headings.map(textOf)).toEqual([title]);
        },
      ),
      { numRuns: 1000, seed: 5246 },
    );
  });

  it('Markdown: arbitrary excerpt lines render as one paragraph each, with their own text', () => {
    fc.assert(
      fc.property(fc.array(mdLine, { minLength: 1, maxLength: 4 }), (lines) => {
        const doc = parser.parse(formatMarkdown([{ ...HAND[0]!, url: null, excerpt: lines.join('\n') }]));
        const blocks = sections(doc)[0]?.blocks.slice(1) ?? [];
        expect(blocks.map((b) => (b.type === 'paragraph' ? textOf(b) : `<${b.type}>`))).toEqual(lines.map(paragraphText));
        expect(allNodes(doc).filter((n) => n.type.startsWith('html'))).toEqual([]);
      }),
      { numRuns: 1000, seed: 31392 },
    );
  });
});

describe('Markdown: the scans that replaced quadratic regular expressions find what those found', () => {
  const PIECES = [
    '$',
    '$$',
    '\\',
    '\\$',
    '\\(',
    '\\)',
    '\\[',
    '\\]',
    '\\begin{a}',
    '\\end{a}',
    '\\begin{a*}',
    '\\end{a*}',
    '\\end{b}',
    '\\begin{',
    '}',
    'x',
    'y',
    ' ',
    '\n',
    '#',
    '\\#',
  ];
  const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }).map((pieces) => pieces.join(''));

  it('math spans: those of the one regular expression of lazy alternatives (the reference, on short texts)', () => {
    const MATH =
      /(?<!\\)\$\$[\s\S]+?\$\$|\\begin\{([A-Za-z*]+)\}[\s\S]*?\\end\{\1\}|\\\[[\s\S]+?\\\]|\\\([\s\S]+?\\\)|(?<!\\)\$(?=\S)[^$\n]*?\S\$|(?<!\\)\$[^\s$]\$/g;
    fc.assert(
      fc.property(text, (t) => {
        expect([...mathSpans(t)]).toEqual([...t.matchAll(MATH)].map((m) => [m.index, m.index + m[0].length]));
      }),
      { numRuns: 20_000 },
    );
  });

  it('a title’s trailing # run: escaped as `(?<!\\\\)#+$` escaped it', () => {
    fc.assert(
      fc.property(text, (title) => {
        const post = { title, author: 'a', date: '2021-01-01', readers: null, excerpt: '', url: null, id: null, source: '-', line: 1 };
        const heading = formatMarkdown([post], { fields: ['title'] });
        // The reference: the old expression applied to what escaping gives before it (the heading without the trailing fix).
        const escaped = formatMarkdown([{ ...post, title: `${title}.` }], { fields: ['title'] }).replace(/\.\n\n$/, '');
        expect(heading).toBe(`${escaped.replace(/(?<!\\)#+$/, '\\$&')}\n\n`);
      }),
      { numRuns: 5_000 },
    );
  });
});
