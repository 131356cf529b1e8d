/**
 * Today's parser against every committed rendering: `npm run fixtures:compare` runs
 * `postdump parse RENDERING -f jsonl` on each and prints the renderer × page table of
 * fixtures/renderers/README.md (exact, or what differs and the likely cause), then the details.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { type ExpectedPost, exactExcerpts, expectedPosts, pageTruth, recordProblems } from './rendered-records.js';
import { PAGES, RENDERERS, renderingPath, repoRoot } from './renderers.js';

function parsed(path: string): ExpectedPost[] {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin/postdump.js'), 'parse', path, '-f', 'jsonl'], { cwd: repoRoot, encoding: 'utf8' });
  return r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const { title, author, date, readers, excerpt, url, id } = JSON.parse(l) as ExpectedPost;
      return { title, author, date, readers, excerpt, url, id };
    });
}

// What a wrong record most likely shows, found more often in the parser's records than in the
// expected ones (the pages' own prose has [1] and *...* too): the renderer's decoration, looked for in
// titles and in excerpts up to the first noise, and the page's noise, looked for anywhere.
const NOISE: [string, RegExp][] = [
  ['read-more', /阅读全文|继续阅读|read more/gi],
  ['References', /^\s*(?:References|Visible links)\s*$/gm],
  ['sidebar', /最近评论|随机文章|热门标签|友情链接|Recent Comments|Random Posts|Hot Tags/g],
  ['end-of-post matter', /转载到请包括本文地址|如果您需要引用本文|@online\{kexuefm-|When reposting|If you need to cite/g],
  ['reading-time tip', /本文阅读时间约/g],
  ['Cite', /^Cite\b/gm],
];
const DECORATION: [string, RegExp][] = [
  ['link numbers', /\[\d+\]\S|By \[\d+\]/g],
  ['heading marks', /^(?:#{1,6} |\*{3,} )|\s\*{3,}$/gm],
  ['Markdown escapes or markup', /\]\(|\\[[\]|*<_=.]|<\/?(?:div|span|a)\b|(?<!\*)\*\*(?!\*)|^> /gm],
  ['bullets in titles', /^\s*(?:[*•-]|\d+\.)\s+\S(?!.*\n)/gm],
  ['indentation', /^[ \t]+\S/gm],
];
const FIRST_NOISE = new RegExp(NOISE.map(([, re]) => re.source).join('|'), 'im');

const count = (s: string, re: RegExp): number => s.match(re)?.length ?? 0;
const whole = (posts: ExpectedPost[]): string => posts.map((p) => `${p.title}\n${p.excerpt}`).join('\n');
const beforeNoise = (posts: ExpectedPost[]): string => posts.map((p) => `${p.title}\n${p.excerpt.split(FIRST_NOISE)[0]}`).join('\n');

function causes(actual: ExpectedPost[], expected: ExpectedPost[]): string[] {
  const titles = new Set(expected.map((p) => p.title));
  const decorated = (p: ExpectedPost): boolean => DECORATION.some(([, re]) => count(p.title, re) > 0);
  // Posts that are not posts (a comment, a sidebar item) are named, not searched for causes.
  const extra = actual.filter((p) => !titles.has(p.title) && !decorated(p));
  const posts = actual.filter((p) => !extra.includes(p));
  const more = (s: (posts: ExpectedPost[]) => string, [, re]: [string, RegExp]): boolean => count(s(posts), re) > count(s(expected), re);
  const found = [...DECORATION.filter((c) => more(beforeNoise, c)), ...NOISE.filter((c) => more(whole, c))].map(([cause]) => cause);
  if (extra.length > 0) found.push(`posts that are not: ${extra.map((p) => `“${p.title.slice(0, 24)}”`).join(', ')}`);
  if (actual.length === 0 && expected.length > 0) found.push('no post found');
  if (posts.some((p, i) => p.url === null && expected[i]?.url != null)) found.push('no url');
  return found;
}

const rows: string[] = [];
const details: string[] = [];
let exact = 0;
rows.push(`| renderer | ${PAGES.map((p) => p.name).join(' | ')} |`, `|---|${PAGES.map(() => '---').join('|')}|`);
for (const renderer of RENDERERS) {
  const cells: string[] = [];
  for (const page of PAGES) {
    const path = renderingPath(page, renderer);
    const expected = expectedPosts(pageTruth(page), renderer);
    const actual = parsed(path);
    const problems = recordProblems(actual, expected);
    if (problems.length === 0) {
      exact++;
      cells.push(exactExcerpts(actual, expected) ? 'exact' : 'same text');
    } else {
      cells.push(`no: ${causes(actual, expected).join('; ') || problems[0]}`);
      details.push(`${path}:`, ...problems.map((p) => `  ${p}`));
    }
  }
  rows.push(`| ${renderer.name} | ${cells.join(' | ')} |`);
}
console.log(rows.join('\n'));
console.log(`\n${exact} of ${PAGES.length * RENDERERS.length} renderings give the expected records.\n`);
console.log(details.join('\n'));
