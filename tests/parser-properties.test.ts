import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, parseStream, type Post } from '../src/index.js';

/**
 * Round trip: random posts, rendered as a dump in random SPEC §2 variants, parse back to the same
 * records; and any chunking of the bytes gives what the whole input gives.
 */

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
  'Nyströmformer',
  '“新范式”',
  '😀',
];
const PARAGRAPH_PIECES = [
  '从这一篇开始,我们就将前面所介绍的采样算法应用到具体的文本生成例子中。',
  '标准Attention的$\\mathcal{O}(n^2)$复杂度',
  '\\begin{equation}\\mathcal{L} = \\sum_{i=1}^n \\alpha_i \\mathcal{L}_i\\end{equation}',
  '解码到<eos>为止',
  'a | b ｜ c',
  'By the way, this line starts like prose',
  '幂次变换',
  'emoji 🎉 and full-width ，。！？',
  '"quoted" and \\backslash',
  '\t tab inside',
  '100位读者之外',
];
const AUTHORS = ['苏剑林', 'Jianlin Su', '张三'];
const SPACES = [' ', '  ', '\t', '\u00a0', '\u3000', ' \u3000 '];

const pieces = (from: string[], min: number, max: number) => fc.array(fc.constantFrom(...from), { minLength: min, maxLength: max }).map((p) => p.join(''));

const post = fc.record({
  title: pieces(TITLE_PIECES, 1, 4)
    .map((t) => t.trim())
    .filter((t) => t !== '' && !t.startsWith('By')),
  author: fc.constantFrom(...AUTHORS),
  date: fc.date({ min: new Date('2009-01-01'), max: new Date('2026-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  readers: fc.nat({ max: 2_000_000 }),
  // SPEC §2: `By ... | ... |` or a reader count after a bar looks like a broken header (a warning).
  paragraphs: fc.array(
    pieces(PARAGRAPH_PIECES, 1, 3).filter((p) => !/^By[^|｜]*[|｜][^|｜]*[|｜]|[|｜][^|｜]*\d位读者/.test(p) && !p.startsWith('\t')),
    { maxLength: 4 },
  ),
});

const style = fc.record({
  bar: fc.constantFrom('|', '｜'),
  space: fc.constantFrom(...SPACES),
  commas: fc.boolean(),
  cite: fc.boolean(),
  english: fc.boolean(),
  firstOnNextLine: fc.boolean(),
  blankBeforeHeader: fc.nat({ max: 2 }),
  blankBetweenParagraphs: fc.boolean(),
});

const dump = fc.record({
  posts: fc.array(fc.tuple(post, style), { minLength: 1, maxLength: 5 }),
  eol: fc.constantFrom('\n', '\r\n', '\r'),
  bom: fc.boolean(),
  chrome: fc.boolean(),
  sidebar: fc.boolean(),
  finalNewline: fc.boolean(),
});

type Dump = typeof dump extends fc.Arbitrary<infer T> ? T : never;

/** The dump's text and the records it must parse to. */
function render(d: Dump): { text: string; expected: Post[] } {
  const lines: string[] = [];
  const expected: Post[] = [];
  if (d.chrome) lines.push('科学空间|Scientific Spaces', '首页  归档  关于', '');
  for (const [p, s] of d.posts) {
    lines.push(p.title);
    for (let i = 0; i < s.blankBeforeHeader; i++) lines.push('');
    const count = s.commas ? p.readers.toLocaleString('en-US') : String(p.readers);
    const bar = `${s.space}${s.bar}${s.space}`;
    const head = s.english
      ? `By ${p.author}${bar}${p.date}${bar}${count} readers${bar}`
      : `By ${p.author}${bar}${p.date}${bar}${count}位读者${bar}${s.cite ? '引用' : ''}`;
    const [first, ...rest] = p.paragraphs;
    const glued = first !== undefined && !s.firstOnNextLine;
    lines.push(glued ? head + first : head);
    expected.push({
      title: p.title,
      author: p.author,
      date: p.date,
      readers: p.readers,
      excerpt: p.paragraphs.join('\n'),
      url: null,
      id: null,
      source: 'dump',
      line: lines.length,
    });
    for (const [i, para] of (glued ? rest : p.paragraphs).entries()) {
      if (s.blankBetweenParagraphs && i > 0) lines.push(s.space.trim() === '' ? s.space : '');
      lines.push(para);
    }
  }
  if (d.sidebar) lines.push('最近评论', '苏剑林: 谢谢指出', '随机文章', '« 1 2 3 »');
  const text = (d.bom ? '\ufeff' : '') + lines.join(d.eol) + (d.finalNewline ? d.eol : '');
  return { text, expected };
}

async function* chunksOf(bytes: Uint8Array, sizes: number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length] ?? 1;
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

describe('parser properties', () => {
  it('parses every rendered dump back to its posts', () => {
    fc.assert(
      fc.property(dump, (d) => {
        const { text, expected } = render(d);
        const { posts, diagnostics } = parse(Buffer.from(text), { source: 'dump' });
        expect(posts).toEqual(expected);
        expect(diagnostics.filter((x) => x.severity !== 'info')).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same posts and diagnostics however the bytes are chunked', async () => {
    await fc.assert(
      fc.asyncProperty(dump, fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 }), async (d, sizes) => {
        const bytes = Buffer.from(render(d).text);
        const whole = parse(bytes, { source: 'dump' });
        const diagnostics: unknown[] = [];
        const posts: Post[] = [];
        for await (const p of parseStream(chunksOf(bytes, sizes), { source: 'dump', onDiagnostic: (x) => diagnostics.push(x) })) posts.push(p);
        expect(posts).toEqual(whole.posts);
        expect(diagnostics).toEqual(whole.diagnostics);
      }),
      { numRuns: 200 },
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
