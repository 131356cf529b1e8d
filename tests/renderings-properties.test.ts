/**
 * Decoration stripped, whatever the dump (SPEC §10): random posts rendered the way the renderers
 * render a page — lynx's link numbers, References list and three-space indentation, Markdown's
 * `## [title](url)` headings, escapes and emphasis, html2text's heading frames, w3m's and lynx's
 * list markers (on titles too, as a listing that lists its posts shows them), and a hard wrap at a random width of 60 columns or more (a header cut over two
 * lines among it) — parse to the undecorated records: the same titles, authors, dates, reader counts
 * and addresses, excerpts of the same text (`sameExcerpt`: a wrap loses where spaces stood), every
 * line in a post or a skipped range.
 *
 * The layouts are written here from what the real tools do (fixtures/renderers/README.md), not
 * taken from src; the real tools' own output is tested in renderings.test.ts and renderers-live.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameExcerpt } from '../scripts/rendered-records.js';
import { parse, type Post } from '../src/index.js';
import { unaccounted } from './helpers/conservation.js';

const SHORT_TITLES = [
  '【搜出来的文本】⋅(三)基于BERT的文本采样',
  'Seq2Seq重复解码现象的理论分析尝试',
  'Nyströmformer:基于矩阵分解的线性化Attention方案',
  '生成扩散模型漫谈(一):DDPM = 拆楼 + 建楼',
  'How Far Can Softmax Attention Extrapolate?',
  '流形上的最速下降:5. 对偶梯度下降',
];
// Longer than the narrowest width: wrapped over lines.
const LONG_TITLES = [
  'Steepest Descent on Manifolds: 5. Muon on the Stiefel Manifold, and What Comes After It',
  '为什么Pre Norm的效果不如Post Norm?从梯度的角度重新理解残差连接与层归一化之间的关系及其代价',
];
const AUTHORS = ['苏剑林', 'Jianlin Su', 'J. Su', '苏剑林、张三、李四、王五、赵六、钱七、孙八', 'Jianlin Su and the editors of Scientific Spaces'];
const PARAGRAPHS = [
  '从这一篇开始,我们就将前面所介绍的采样算法应用到具体的文本生成例子中。而作为第一个例子,我们将介绍如何利用BERT来进行文本随机采样。',
  '事实真的如此吗?当然不是。利用BERT的MLM模型其实也可以完成文本采样,事实上它就是上一篇文章所介绍的Gibbs采样。',
  '标准Attention的$\\mathcal{O}(n^2)$复杂度可真是让研究人员头大。',
  'In an earlier post [1] we derived a scale factor for attention from the idea of entropy invariance, and asked how long its inputs can become.',
  '这里的重点是*可导*两个字:我们要找的不是准确率本身,而是一个足够好的光滑近似,如文献[1]所述。',
  'The short answer is that the drift grows like $\\log n$, and that the usual fix is not free: it changes the sharpness of every head.',
  '解码到<eos>为止,这就是所谓的“自回归”生成模型。',
  '幂次变换',
  'a | b ｜ c: bars in the text are text',
];

interface Gen {
  title: string;
  author: string;
  date: string;
  readers: number;
  english: boolean;
  id: number;
  paragraphs: { text: string; item: boolean }[];
  glued: boolean;
  /** The title is a list item (a listing that lists its posts). */
  item: boolean;
}

const post: fc.Arbitrary<Gen> = fc.record({
  title: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...SHORT_TITLES) }, { weight: 1, arbitrary: fc.constantFrom(...LONG_TITLES) }),
  author: fc.constantFrom(...AUTHORS),
  date: fc.date({ min: new Date('2009-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  readers: fc.nat({ max: 2_000_000 }),
  english: fc.boolean(),
  id: fc.integer({ min: 1, max: 20_000 }),
  paragraphs: fc.array(fc.record({ text: fc.constantFrom(...PARAGRAPHS), item: fc.boolean() }), { minLength: 1, maxLength: 4 }),
  glued: fc.boolean(),
  item: fc.boolean(),
});

/** A rendered dump, and the records it must give (url null where the layout carries none). */
interface Rendered {
  text: string;
  posts: Gen[];
  urls: boolean;
  /** Titles that were wrapped: compared without white space (a wrap loses where spaces stood). */
  wrapped: Set<number>;
}

const isWide = (ch: string): boolean => /[\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch);
const cells = (s: string, wide: boolean): number => [...s].reduce((n, ch) => n + (wide && isWide(ch) ? 2 : 1), 0);

/**
 * Greedy wrap at `width`, as the text browsers do: a break at a space between words (the space
 * dropped), and where `runs` break, between two Chinese characters or at the edge of a Chinese run
 * (pandoc breaks at spaces only); never inside a Latin word, nor at a space next to a Chinese
 * character (where a join could not tell it was one). `wide`: Chinese characters count two cells.
 */
function wrap(text: string, width: number, first: string, rest: string, wide: boolean, runs = true): string[] {
  // Units: a Latin word, a single wide character, or a space.
  const units =
    text.match(
      /[\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]| +|[^ \u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]+/gu,
    ) ?? [];
  const lines: string[] = [];
  let line = first;
  let empty = true;
  units.forEach((u, i) => {
    const space = u.startsWith(' ');
    const breakable = (unit: string, at: number): boolean => {
      if (!unit.startsWith(' ')) return runs;
      return !isWide(units[at - 1]?.slice(-1) ?? '') && !isWide(units[at + 1]?.charAt(0) ?? '');
    };
    if (!empty && cells(line + u, wide) > width && breakable(u, i)) {
      lines.push(line.trimEnd());
      line = rest;
      empty = true;
      if (space) return;
    }
    line += u;
    empty = false;
  });
  lines.push(line.trimEnd());
  return lines;
}

/** lynx's wrap at `width` characters: at the last space that lets a word fit; a word longer than a line is cut where the line is full. */
function wrapAtSpaces(text: string, width: number, first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (let word of text.split(' ')) {
    if (!empty && [...line].length + 1 + [...word].length > width) {
      lines.push(line);
      line = rest;
      empty = true;
    }
    while ([...line].length + (empty ? 0 : 1) + [...word].length > width) {
      // Too long for a line of its own: cut where the line is full.
      const room = width - [...line].length - (empty ? 0 : 1);
      lines.push(`${line}${empty ? '' : ' '}${[...word].slice(0, room).join('')}`);
      word = [...word].slice(room).join('');
      line = rest;
      empty = true;
    }
    line += (empty ? '' : ' ') + word;
    empty = false;
  }
  lines.push(line);
  return lines;
}

const header = (p: Gen, bar: string, cite: string): string =>
  `By ${p.author} ${bar} ${p.date} ${bar} ${p.readers}${p.english ? ' readers' : '位读者'} ${bar} ${cite}`;
const glue = (p: Gen): string => (p.glued ? `${p.english ? ' ' : ''}${(p.paragraphs[0] as { text: string }).text}` : '');
const body = (p: Gen): Gen['paragraphs'] => (p.glued ? p.paragraphs.slice(1) : p.paragraphs);

/** lynx -dump: numbered links, a References list, body indented three spaces, list items `     * `, titles at the line's start, lines wrapped at their last space. */
function lynx(posts: Gen[], width: number): Rendered {
  let n = 0;
  const refs: string[] = [];
  const link = (url: string): string => {
    refs.push(url);
    n++;
    return `[${n}]`;
  };
  const out = [
    `   ${link('https://kexue.fm/')}科学空间|Scientific Spaces`,
    `     * ${link('https://kexue.fm/')}首页`,
    `     * ${link('https://kexue.fm/content.html')}归档`,
    '',
  ];
  const wrapped = new Set<number>();
  posts.forEach((p, i) => {
    const title = wrapAtSpaces(`${link(`https://kexue.fm/archives/${p.id}`)}${p.title}`, width, p.item ? '     * ' : '', p.item ? '       ' : '');
    if (title.length > 1) wrapped.add(i);
    out.push(...title, '');
    const author = i % 2 === 0 ? p.author : `${link('https://kexue.fm/author/1/')}${p.author}`;
    const cite = `${link('javascript:void(0);')}${p.english ? 'Cite' : '引用'}`;
    out.push(...wrapAtSpaces(header({ ...p, author }, '|', cite) + glue(p), width, '   ', '   '), '');
    for (const para of body(p)) out.push(...wrapAtSpaces(para.text, width, para.item ? '     * ' : '   ', para.item ? '       ' : '   '), '');
    out.push(`   ${link(`https://kexue.fm/archives/${p.id}#more`)}阅读全文`, '');
  });
  out.push('References', '', ...refs.map((url, k) => `${String(k + 1).padStart(4)}. ${url}`));
  return { text: `${out.join('\n')}\n`, posts, urls: true, wrapped };
}

/** A Markdown conversion: `## [title](url)`, bars and brackets escaped, a word in emphasis, paragraphs wrapped at spaces (soft breaks), `- ` items. */
function markdown(posts: Gen[], width: number): Rendered {
  const escaped = (text: string): string =>
    text
      .split(/(\$[^$]+\$)/u)
      .map((part, i) => (i % 2 === 1 ? part : part.replace(/[\\[\]*_|<>#]/gu, '\\$&')))
      .join('');
  const emphasis = (text: string): string => text.replace(/(足够好|not free)/u, '*$1*');
  const out = ['<div id="Header">', '', '-   [首页](https://kexue.fm/)', '', '</div>', ''];
  posts.forEach((p) => {
    out.push(`## [${escaped(p.title)}](/archives/${p.id} "${p.title.replaceAll('"', '')}")`, '');
    out.push(...wrap(escaped(header(p, '|', p.english ? 'Cite' : '引用') + glue(p)), width, '', '', false, false).filter((l) => l !== ''), '');
    for (const para of body(p)) out.push(...wrap(emphasis(escaped(para.text)), width, para.item ? '-   ' : '', para.item ? '    ' : '', false, false), '');
    out.push(`[阅读全文](/archives/${p.id}#more)`, '');
  });
  return { text: `${out.join('\n')}\n`, posts, urls: true, wrapped: new Set() };
}

/** html2text: titles framed in asterisks (`_` for the spaces of their link text), no blank lines between paragraphs, items `    * `. */
function html2text(posts: Gen[], width: number): Rendered {
  const out = ['', '', '', '', '科学空间|Scientific_Spaces', '    * 首页', '    * 归档'];
  posts.forEach((p) => {
    out.push('', `***** ${p.title.replaceAll(' ', '_')} *****`, header(p, '|', p.english ? 'Cite' : '引用') + glue(p));
    for (const para of body(p)) out.push(...wrap(para.text, width, para.item ? '    * ' : '', para.item ? '      ' : '', false));
    out.push('阅读全文');
  });
  return { text: `${out.join('\n')}\n`, posts, urls: false, wrapped: new Set() };
}

/** w3m -dump: no indentation, items `  • `, everything wrapped at the width in cells (Chinese counts two). */
function w3m(posts: Gen[], width: number): Rendered {
  const out = ['科学空间|Scientific Spaces', '', '  • 首页', '  • 归档', '', '[                    ]搜索'];
  const wrapped = new Set<number>();
  posts.forEach((p, i) => {
    const title = wrap(`${p.item ? '  • ' : ''}${p.title}`, width, '', p.item ? '    ' : '', true);
    if (title.length > 1) wrapped.add(i);
    out.push(...title, '', ...wrap(header(p, '|', p.english ? 'Cite' : '引用') + glue(p), width, '', '', true), '');
    for (const para of body(p)) out.push(...wrap(para.text, width, para.item ? '  • ' : '', para.item ? '    ' : '', true), '');
    out.push('阅读全文', '');
  });
  return { text: `${out.join('\n')}\n`, posts, urls: false, wrapped };
}

const LAYOUTS = { lynx, markdown, html2text, w3m };

/** Everything that differs between the parsed posts and the undecorated ones. */
function differences(parsed: Post[], r: Rendered): string[] {
  const problems: string[] = [];
  if (parsed.length !== r.posts.length) problems.push(`${parsed.length} posts, expected ${r.posts.length}`);
  r.posts.forEach((p, i) => {
    const a = parsed[i];
    if (a === undefined) return;
    const title = r.wrapped.has(i) ? (t: string): string => t.replace(/\s+/gu, '') : (t: string): string => t;
    if (title(a.title) !== title(p.title)) problems.push(`post ${i}: title ${JSON.stringify(a.title)}`);
    if (a.author !== p.author || a.date !== p.date || a.readers !== p.readers) problems.push(`post ${i}: header ${a.author} | ${a.date} | ${a.readers}`);
    if (r.urls ? a.id !== p.id || !a.url?.endsWith(`/archives/${p.id}`) : a.url !== null || a.id !== null) problems.push(`post ${i}: url ${a.url} id ${a.id}`);
    const excerpt = p.paragraphs.map((x) => x.text).join('\n');
    if (!sameExcerpt(a.excerpt, excerpt)) problems.push(`post ${i}: excerpt ${JSON.stringify(a.excerpt)}`);
    // No line of the page starts with white space: any is the renderer's indentation left in.
    if (/^\s/mu.test(a.excerpt)) problems.push(`post ${i}: excerpt indented ${JSON.stringify(a.excerpt)}`);
  });
  return problems;
}

describe.each(Object.entries(LAYOUTS))('a dump in the %s layout', (name, render) => {
  it('parses to the undecorated records, each line in a post or a skipped range', () => {
    fc.assert(
      // Reader counts differ from post to post, as they do on a page (a header repeated by the next post is a menu's link to it).
      fc.property(fc.uniqueArray(post, { minLength: 1, maxLength: 5, selector: (p) => p.readers }), fc.integer({ min: 60, max: 120 }), (posts, width) => {
        const rendered = render(posts, width);
        const result = parse(rendered.text, { source: `${name}.txt` });
        expect(differences(result.posts, rendered)).toEqual([]);
        expect(result.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
        expect(result.diagnostics.some((d) => d.code === 'TEXT_LAYOUT')).toBe(true);
        expect(unaccounted(rendered.text, result)).toEqual([]);
      }),
      { numRuns: 200, seed: 20220613 },
    );
  });
});
