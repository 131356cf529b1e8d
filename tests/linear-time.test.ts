/**
 * Every input in linear time (SPEC §9). On generated worst cases, the work for an input of size 2n
 * is at most about 2.5 × the work for size n (see `helpers/linear-time.ts`: a quadratic scan gives 4).
 *
 * - Every regular expression of `src/` (listed by `helpers/source-scan.ts`) has worst cases below,
 *   run as a global search, the most work any use of it can do; one added without them fails here
 *   (and `source-rules.test.ts` has recheck, a ReDoS checker, look for more).
 * - The scans that replaced quadratic expressions, and the functions that use them, on the inputs
 *   that were slow (issue 16); the scans that strip a renderer's decoration (issue 12), on openers
 *   without closers and on what they join.
 */
import { describe, expect, it } from 'vitest';
import { formatCsv, formatMarkdown, parse, type Post } from '../src/index.js';
import { toRawPost, type RawPost } from '../src/record.js';
import { StatsCollector } from '../src/stats.js';
import { cleanName, UniqueNames } from '../src/output/file-names.js';
import { addressIn } from '../src/parse/article-matter.js';
import { framedHeading, atxHeading } from '../src/parse/heading-marks.js';
import { parseHeader } from '../src/parse/header.js';
import { LinkNumbers } from '../src/parse/link-numbers.js';
import { inlineText } from '../src/parse/markdown-inline.js';
import { seriesOf } from '../src/parse/series.js';
import { runCli } from './helpers/cli.js';
import { growth, searchAll, type Workload } from './helpers/linear-time.js';
import { regexesInSource } from './helpers/source-scan.js';

const LIMIT = 2.5;

/** `unit` repeated to about n characters. */
const rep = (unit: string, n: number): string => unit.repeat(Math.max(1, Math.round(n / unit.length)));
const spaces = (n: number): string => ' '.repeat(n);
/** A name of letters for each number: a, b, ..., z, ba, bb, ... */
const letters = (i: number): string => (i < 26 ? '' : letters(Math.floor(i / 26))) + String.fromCharCode(0x61 + (i % 26));

type Hostile = (n: number) => string;

/**
 * Each expression of `src/` with inputs that make it work hardest: long runs of what it repeats,
 * openers without closers, near misses at the end. Written as in `src/` (same source and flags).
 */
const WORST_CASES: [RegExp, ...Hostile[]][] = [
  // src/cli
  [/[<>:"/\\|?*\u0000-\u001f]/g, (n) => rep('a<', n)],
  [/^error: /, (n) => rep('error:', n)],
  [/(?<!\s)\s*\n\s*/g, (n) => `a${spaces(n)}b`, (n) => rep(' \n', n), (n) => `${rep('\t', n)}\u0000\n`],
  [/[*?[\]{}]/, (n) => rep('a', n)],
  [/[\\/]/, (n) => rep('a', n)],
  [/^\d+$/, (n) => `${rep('1', n)}x`],
  [/^(?:Invalid (?:string|array|typed array) length|Array buffer allocation failed)/, (n) => rep('Invalid ', n), (n) => `Invalid ${rep('typed ', n)}`],
  // src/format
  [/[",\r\n]/, (n) => rep('a', n)],
  [/\.([A-Za-z]+)$/, (n) => `.${rep('a', n)}!`, (n) => `${rep('.a', n)}!`],
  [/[\s()<>]/, (n) => rep('a', n)],
  [/[<>\s]/g, (n) => rep('< ', n)],
  [/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (n) => rep('\u001ba', n)],
  [/[\\"]/g, (n) => rep('\\"a', n)],
  [/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g, (n) => rep('\u0085a', n)],
  // src/input
  [/\.html?$/i, (n) => rep('.htm', n)],
  [/^(?:[ \t\n\f\r]+|<!--[\s\S]*?-->|<\?[\s\S]*?\?>)*/, (n) => rep('<!--', n), (n) => rep('<?', n), (n) => `${rep(' <!---->', n)}<!--`, (n) => rep(' \t', n)],
  [/^<(?:!doctype[ \t\n\f\r]+html|html|head|body)[ \t\n\f\r>/]/i, (n) => `<!doctype${spaces(n)}`],
  [/[ \t\n\f\r]+/g, (n) => rep(' a', n), (n) => spaces(n)],
  [/^\/archives\/(\d+)(?:\/|$)/, (n) => `/archives/${rep('1', n)}x`],
  [/<meta[ \t\n\f\r/]/gi, (n) => rep('<meta', n)],
  [
    /([^ \t\n\f\r=/>]+)(?:[ \t\n\f\r]*=[ \t\n\f\r]*(?:"([^"]*)"|'([^']*)'|([^ \t\n\f\r>]*)))?/g,
    (n) => rep('a="', n),
    (n) => rep("a='", n),
    (n) => rep('a= ', n),
    (n) => `a${spaces(n)}`,
  ],
  [
    /charset[ \t\n\f\r]*=[ \t\n\f\r]*(?:"([^"]*)"|'([^']*)'|([^ \t\n\f\r;"']+))/i,
    (n) => rep('charset=', n),
    (n) => `charset${spaces(n)}`,
    (n) => rep('charset="', n),
  ],
  [/<body[ \t\n\f\r>/]/i, (n) => rep('<body', n)],
  [/^(?:阅读全文|继续阅读|read more)\s*(?:»|>>|→|…|\.\.\.)?$/i, (n) => `read more${spaces(n)}x`],
  [/^\s*$/, (n) => `${spaces(n)}x`],
  [/(?<!\s)\s*[\r\n]\s*/g, (n) => `a${spaces(n)}b`, (n) => rep(' \n', n)],
  [/\r\n?|\n/g, (n) => rep('\r', n), (n) => rep('\r\n', n)],
  [/(?<!\s)\s+-\s+科学空间\|Scientific Spaces\s*$/, (n) => `a${spaces(n)}b`, (n) => rep(' - ', n), (n) => `a -${spaces(n)}科学空间|Scientific Spaces`],
  [/<!-- saved from url=\(\d+\)(\S+?) -->/, (n) => rep('<!-- saved from url=(1)', n), (n) => `<!-- saved from url=(1)${rep('a', n)}`],
  [/\S/u, (n) => spaces(n)],
  [/\r?\n/, (n) => rep('\r', n)],
  [/^\s*charset\s*=\s*"?([^";\s]+)"?\s*$/i, (n) => `${spaces(n)}x`, (n) => `charset=${rep('a', n)} x`, (n) => `charset=${spaces(n)}"`],
  [/^[0-9a-f]{1,12}$/i, (n) => rep('a', n)],
  [/^\d{1,15}$/, (n) => rep('1', n)],
  [/^\d{3}$/, (n) => rep('1', n)],
  [/\.(?:rss|atom)$/, (n) => rep('.rss', n)],
  [/\n\r?\n/, (n) => rep('\n\r', n)],
  [/^[a-z][a-z0-9-]{0,63}$/, (n) => rep('a', n)],
  [/^[a-z][a-z0-9-]{0,63}:/i, (n) => rep('a', n), (n) => rep('a-', n)],
  [/[ \t\n\f\r]/, (n) => rep('a', n)],
  [
    /^(?:[A-Za-z]{3},[ \t]*)?(\d{1,2})[ \t]+([A-Za-z]{3})[ \t]+(\d{4}|\d{2})[ \t]+\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]*(?:[+-]\d{4}|[A-Za-z]{1,5}))?$/,
    (n) => `Mon,${spaces(n)}x`,
    (n) => `1 Jan 2021${spaces(n)}x`,
    (n) => `1 Jan 2021 1:00${spaces(n)}x`,
  ],
  [/^(\d{4}-\d{2}-\d{2})(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}:?\d{2})?)?$/, (n) => `2021-01-01T${rep('1', n)}`],
  [
    /^(?:\xEF\xBB\xBF)?<\?xml[ \t\r\n][^>]{0,200}?encoding[ \t\r\n]*=[ \t\r\n]*["']([A-Za-z0-9._-]{1,40})["']/,
    (n) => `<?xml ${rep('encoding', n)}`,
    (n) => `<?xml encoding${spaces(n)}x`,
    (n) => `<?xml encoding="${rep('a', n)}`,
  ],
  [/^TAR_[A-Z_]+: /, (n) => `TAR_${rep('A', n)}:`],
  [/\.(?:txt|md|markdown)$/i, (n) => rep('.md', n), (n) => rep('.markdow', n)],
  [/^(?:\{[ \t\n\r]*"[^"\n]{0,256}"[ \t\n\r]*:|\[[ \t\n\r]*[{[])/, (n) => `{${spaces(n)}x`, (n) => `{"${rep('a', n)}`, (n) => `[${spaces(n)}x`],
  [/\.(?:json|jsonl|ndjson|map)$/, (n) => rep('.json', n)],
  [/^(?:\uFEFF|\xEF\xBB\xBF)?---[ \t]*\r?\n/, (n) => `---${spaces(n)}x`],
  [/\.(?:md|markdown)$/, (n) => rep('.md', n)],
  [/\.(?:html?|xhtml|shtml)$/, (n) => rep('.htm', n), (n) => rep('.xhtm', n)],
  [/^\uFEFF/, (n) => rep('\uFEFF', n)],
  [
    /^[ \t]*(?:user-agent|disallow|allow|sitemap|crawl-delay|host|request-rate|visit-time|clean-param|noindex)[ \t]*:/i,
    (n) => `${spaces(n)}x`,
    (n) => `allow${spaces(n)}x`,
  ],
  [/^[ \t]*(?:#.*)?$/, (n) => `${spaces(n)}x`, (n) => `#${rep('a', n)}\nx`],
  [/\r\n?|\n/, (n) => rep('a', n)],
  [
    /^(?:\/\*!|['"]use strict['"]|[!~+]?\(\s{0,8}(?:function\b|\(\s{0,8}\)\s{0,8}=>|async\b)|!function\s{0,8}\(|(?:var|let|const)\s{1,8}[\w$]{1,64}\s{0,8}=|function\s{0,8}[\w$]{0,64}\s{0,8}\(|(?:import|export)\s{1,8}(?:default\b|\{|\*|(?:const|let|var|function|class)\b)|(?:window|document|jQuery|define|self|globalThis)\s{0,8}[.(])/,
    (n) => `var ${rep('a', n)}`,
    (n) => `function ${rep('a', n)}`,
    (n) => `(${spaces(n)}`,
  ],
  [/^(?:\uFEFF|\xEF\xBB\xBF)?\s{0,64}/, (n) => spaces(n)],
  [/\.(?:m?js|cjs)$/, (n) => rep('.mjs', n)],
  [
    /^(?:@(?:charset|import|media|font-face|keyframes|supports|namespace|layer|page|-webkit-)|[#.:*\w-][\w \t\n\r#.:*,>+~()-]{0,200}\{[ \t\n\r]*[\w-]+[ \t\n\r]*:)/,
    (n) => `.${rep('a', n)}`,
    (n) => `.a{${spaces(n)}x`,
    (n) => `.a{a${spaces(n)}x`,
  ],
  [/\.(?:css|less|scss)$/, (n) => rep('.css', n)],
  [/^<([A-Za-z_][\w.:-]*)/, (n) => `<${rep('a', n)}`],
  [
    /^<!DOCTYPE(?=([^>[]*))\1(?:\[[^\]]*\])?[^>]*>/i,
    (n) => `<!DOCTYPE${rep('Y', n)}`,
    (n) => `<!DOCTYPE a[${rep('x', n)}`,
    (n) => `<!DOCTYPE a[]${rep('x', n)}`,
  ],
  [/\.(?:xml|rss|atom|svg|xsl)$/, (n) => rep('.xml', n)],
  [/^<\?xml[ \t\n\r]/, (n) => rep('<?xml', n)],
  [/\.br$/i, (n) => rep('.br', n)],
  [/\.gz$/i, (n) => rep('.gz', n)],
  // src/output
  [/[<>:"/\\|?*\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]+/gu, (n) => rep('<a', n)],
  [/^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?:\.|$)/iu, (n) => rep('con', n)],
  [/[/\\]/u, (n) => rep('a/', n)],
  [
    /^\.(.+)\.postdump-([0-9a-f]{8})-(\d+)-[0-9a-f]{8}\.tmp$/u,
    (n) => `.${rep('a', n)}`,
    (n) => rep('.a.postdump-', n),
    (n) => `.a.postdump-00000000-${rep('1', n)}x`,
    (n) => `.a.postdump-00000000-1-${rep('0', n)}.tmp`,
  ],
  [/^[\s.]*$/u, (n) => `${rep(' .', n)}x`],
  [/\s+/gu, (n) => rep(' a', n), (n) => spaces(n)],
  [/\.{2,}/gu, (n) => rep('.a', n), (n) => rep('.', n)],
  [/^[\s.]+|(?<![\s.])[\s.]+$/gu, (n) => `a${spaces(n)}b`, (n) => `a${rep('. ', n)}b`],
  [/(?<![\s.])[\s.]+$/u, (n) => `a${spaces(n)}b`, (n) => `a${rep('. ', n)}b`],
  // src/parse
  [/^(\d{4})-(\d{1,2})-(\d{1,2})$/, (n) => rep('1', n)],
  [/^(?:\d{1,3}(?:,\d{3})+|\d+)$/, (n) => `${rep('1,000', n)}x`, (n) => `${rep('1', n)}x`],
  [/^(?:[«»‹›]|上一页|下一页|\d|…|\.\.\.|\s)+$/u, (n) => `${rep('1', n)}x`, (n) => `${rep('1 ', n)}x`, (n) => `${rep('...', n)}x`],
  [/[«»‹›]|上一页|下一页|\d\s+\d/u, (n) => rep('1', n), (n) => `1${spaces(n)}x`],
  [
    /^(.*?\S)\s*[(（]\s*(\d{1,3}|[一二三四五六七八九十]{1,3})\s*[)）]/u,
    (n) => `a${spaces(n)}b(1)`,
    (n) => rep('a(', n),
    (n) => `a(${spaces(n)}`,
    (n) => rep('a (1 ', n),
  ],
  [
    /^(.*?\S)\s*[:：]\s*(\d{1,3}|[一二三四五六七八九十]{1,3})\s*[.．、](?!\d)/u,
    (n) => `a${spaces(n)}b:1.`,
    (n) => rep('a:', n),
    (n) => `a:${spaces(n)}`,
    (n) => rep('a :1 ', n),
  ],
  [/(?<![\s⋅·・•:：\-—–_|｜])[\s⋅·・•:：\-—–_|｜]+$/u, (n) => `a${spaces(n)}b`, (n) => `${rep('-⋅', n)}x`],
  [/^(?:【(.+)】|\[(.+)\]|《(.+)》|「(.+)」)$/u, (n) => `【${rep('a', n)}`, (n) => `${rep('【', n)}x`, (n) => `[${rep(']', n)}x`],
  [/^(?:([一二三四五六七八九])|([二三四五六七八九])?十([一二三四五六七八九])?)$/u, (n) => rep('十', n)],
  [/[:：]/u, (n) => rep('a', n)],
  [/^[a-z][a-z0-9+.-]*:\/\//i, (n) => rep('a', n), (n) => rep('a.', n), (n) => `${rep('a', n)}:/`],
  [/[,，。.!！?？()（）《》【】|｜]/u, (n) => rep('a', n)],
];

const key = (re: RegExp): string => `/${re.source}/${re.flags}`;

describe('every regular expression in src/', () => {
  const sites = regexesInSource();

  it('is a literal with worst cases listed here (and every one listed is still in src/)', () => {
    const listed = new Set(WORST_CASES.map(([re]) => key(re)));
    const built = sites.filter((s) => s.regex === null).map((s) => `${s.file}:${s.line}: ${s.text} (write it as a literal)`);
    const missing = sites.filter((s) => s.regex !== null && !listed.has(key(s.regex))).map((s) => `${s.file}:${s.line}: ${s.text}`);
    const inSource = new Set(sites.flatMap((s) => (s.regex === null ? [] : [key(s.regex)])));
    const stale = [...listed].filter((k) => !inSource.has(k));
    expect({ built, missing, stale }).toEqual({ built: [], missing: [], stale: [] });
  });

  const cases = WORST_CASES.flatMap(([re, ...hostile]) => hostile.map((make, i) => [`${key(re)} #${i + 1}`, re, make] as const));
  it.each(cases)('%s runs in linear time', (_name, re, make) => expectLinear({ make, run: searchAll(re) }));
});

describe('the functions that were slow (issue 16), on the inputs that were', () => {
  const post = (title: string, excerpt = ''): Post => ({
    title,
    author: 'a',
    date: '2021-01-01',
    readers: 1,
    excerpt,
    url: null,
    id: null,
    source: '-',
    line: 1,
  });
  const WORKLOADS: Record<string, Workload<string>> = {
    'header: `By` and spaces, no bar': { make: (n) => `By${spaces(n)}`, run: parseHeader },
    'header: `By a |` and spaces': { make: (n) => `By a |${spaces(n)}`, run: parseHeader },
    'header: `By a | b |` and spaces': { make: (n) => `By a | b |${spaces(n)}`, run: parseHeader },
    'header: a count field of `reader`s that are no word': { make: (n) => `By a | b | ${rep('readerss ', n)}`, run: parseHeader },
    'header: a bar, then digits and spaces before 位读': { make: (n) => `|${rep('1 ', n)}位读`, run: parseHeader },
    'header: a bar, then 位读者 without a digit before it': { make: (n) => `|${rep(' 位读者', n)}`, run: parseHeader },
    'parse: a dump line of `By` and spaces (the engine reads long lines whole)': { make: (n) => `T\nBy${spaces(n)}\n`, run: (text) => parse(text) },
    'parse: a dump line of `By a |` and spaces': { make: (n) => `T\nBy a |${spaces(n)}\n`, run: (text) => parse(text) },
    'markdown: an excerpt of `\\(` × n': { make: (n) => rep('\\(', n), run: (text) => formatMarkdown([post('t', text)]) },
    'markdown: an excerpt of `\\[`, `$$` and `\\begin{a}` × n': { make: (n) => rep('\\[$$\\begin{a}', n), run: (text) => formatMarkdown([post('t', text)]) },
    'markdown: an excerpt of `$a ` × n': { make: (n) => rep('$a ', n), run: (text) => formatMarkdown([post('t', text)]) },
    'markdown: a title of # × n and an x': { make: (n) => `${rep('#', n)}x`, run: (text) => formatMarkdown([post(text)]) },
    'markdown: an excerpt of `$` × n': { make: (n) => rep('$', n), run: (text) => formatMarkdown([post('t', text)]) },
    'markdown: an excerpt of `$a` × n, no closing `$`': { make: (n) => `$${rep('a', n)}`, run: (text) => formatMarkdown([post('t', text)]) },
    'markdown: an excerpt of `\\begin{` and names that differ, no closer': {
      make: (n) => Array.from({ length: Math.max(1, Math.round(n / 12)) }, (_, i) => `\\begin{${letters(i)}}`).join(''),
      run: (text) => formatMarkdown([post('t', text)]),
    },
    'markdown: an excerpt of `\\end{a` × n and one `\\begin{a}`': {
      make: (n) => `\\begin{a}${rep('\\end{a', n)}`,
      run: (text) => formatMarkdown([post('t', text)]),
    },
    'markdown: an excerpt of blanks, or digits, at the start of each of n lines': {
      make: (n) => rep(`${spaces(8)}12345678\n`, n),
      run: (text) => formatMarkdown([post('t', text)]),
    },
    'markdown: a table cell of display math holding `|` and line breaks × n': {
      make: (n) => `$$${rep('|\n', n)}$$`,
      run: (text) => formatMarkdown([post(text, text)], { table: true, fields: ['title', 'excerpt'] }),
    },
    'csv: an excerpt and a title of `"` × n': { make: (n) => rep('"', n), run: (text) => formatCsv([post(text, text)], { excel: true }) },
    'series: a title `a` + spaces + `b(1)`': { make: (n) => `a${spaces(n)}b(1)`, run: seriesOf },
    'split: a note name from a title of spaces and dots': { make: (n) => `a${rep(' .', n)}b`, run: (text) => cleanName(text) },
    'markdown inline: `[` × n': { make: (n) => rep('[', n), run: inlineText },
    'markdown inline: `[a](` × n (links without a closing parenthesis)': { make: (n) => rep('[a](', n), run: inlineText },
    'markdown inline: `<span a="` × n (a tag whose quote never closes)': { make: (n) => rep('<span a="', n), run: inlineText },
    'markdown inline: `<a:` × n (autolinks without a `>`)': { make: (n) => rep('<a:', n), run: inlineText },
    'markdown inline: ``a × n and a `a` (code spans of two lengths, one never closed)': { make: (n) => `${rep('``a', n)}${'`a`'}`, run: inlineText },
    'markdown inline: `$$a$a` × n': { make: (n) => rep('$$a$a', n), run: inlineText },
    'markdown inline: `*a_b 一 *二* 三` × n': { make: (n) => rep('*a_b 一 *二* 三', n), run: inlineText },
    'markdown inline: backslashes and `&amp;&` × n': { make: (n) => rep('\\\\&amp;&', n), run: inlineText },
    'link numbers: `[1][`, `[2][`, … × n': {
      make: (n) => Array.from({ length: Math.max(1, n >> 3) }, (_, i) => `[${i + 1}][`).join(''),
      run: (text) => new LinkNumbers().strip(text, 0),
    },
    'address: `/archives/1` × n': { make: (n) => rep('/archives/1', n), run: addressIn },
    'headings: `*` × n and `#` × n': {
      make: (n) => `${rep('*', n)} a ${rep('*', n)}x\n# ${rep('#', n)}`,
      run: (text) => [framedHeading(text), atxHeading(text)],
    },
    'parse: a lynx dump with a paragraph wrapped over n lines and n References': {
      make: (n) =>
        `   [1]a\n   [2]b\n   [3]c\n\n[4]T\n\n   By a | 2021-01-01 | 1位读者 | [5]引用\n\n${rep(`   ${'文'.repeat(76)}\n`, n * 80)}\nReferences\n\n${rep('   6. https://kexue.fm/\n', n * 25)}`,
      run: (text) => parse(text),
    },
    'parse: a Markdown paragraph of n lines': {
      make: (n) => `## [T](/archives/1)\n\nBy a \\| 2021-01-01 \\| 1位读者\n\n${rep('*a* \\[1\\] <span>b</span>\n', n)}`,
      run: (text) => parse(text),
    },
  };
  it.each(Object.entries(WORKLOADS))('%s', (_name, workload) => expectLinear(workload));

  it('stats: n posts, each more read than the last, with --top n (each was inserted at the front of a list)', () => {
    const posts = (n: number): RawPost[] => Array.from({ length: n }, (_, i) => ({ ...toRawPost(post(`p${i}`)), readers: i }));
    expectLinear({
      make: posts,
      run: (list) => {
        const collector = new StatsCollector(list.length);
        collector.add(list);
        return collector.result();
      },
    });
  });

  it.each([
    ['n posts of one title and date', () => '2021-01-01-same'],
    ['n titles that are cut to one name', (i: number) => `${'x'.repeat(300)}${i}`],
  ])('split: names for %s', (_name, stem) => {
    expectLinear({
      make: (n) => String(n),
      run: (n) => {
        const names = new UniqueNames();
        for (let i = 0; i < Number(n); i++) names.name(stem(i), '.md');
      },
    });
  });
});

describe('bounded input that backtracked exponentially', () => {
  it('an excerpt line of 90 digits and an x (tested as a pagination bar: 28 digits took 14 s, each one more doubled it)', () => {
    const dump = `Title\nBy a | 2021-01-01 | 1位读者 | 引用x\n${'1'.repeat(90)}x\n`;
    // A guard against a hang, not a timing: the fixed parse takes a fraction of a second.
    const r = runCli(['parse', '-f', 'jsonl', '--fields', 'excerpt'], { input: dump, timeout: 60_000 });
    expect(r.signal).toBeNull();
    expect(JSON.parse(r.stdout)).toEqual({ excerpt: `x\n${'1'.repeat(90)}x` });
  });
});

function expectLinear<T>(workload: Workload<T>): void {
  const g = growth(workload, { limit: LIMIT });
  expect(g.ratio, `n = ${g.n}: ${g.ms[0].toFixed(2)} ms, 2n: ${g.ms[1].toFixed(2)} ms`).toBeLessThanOrEqual(LIMIT);
}
