/**
 * Saved HTML pages end to end: `postdump parse` on the HTML fixtures from files and from stdin,
 * messages and exit status, `--input-type`, the `--help` examples, and the lazy loading of
 * htmlparser2 and iconv-lite (a text dump must not pay for them).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, type Post } from '../src/index.js';
import { POST_FIELDS } from '../src/record.js';
import { repoRoot, runCli, runShell, shellQuote, stderrLines } from './helpers/cli.js';
import { readJsonLines } from './helpers/read-back.js';

const dir = mkdtempSync(join(tmpdir(), 'postdump-html-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the CLI prints for posts: the record's fields only, in order. */
function asPrinted(posts: Post[]): Record<string, unknown>[] {
  return posts.map((p) => Object.fromEntries(POST_FIELDS.map((f) => [f, p[f]])));
}

const PAGES = [
  ['fixtures/html/listing.html', 9],
  ['fixtures/html/listing-gb18030.html', 9],
  ['fixtures/html/article.html', 1],
  ['fixtures/html/other-theme.html', 2],
] as const;

describe.each(PAGES)('postdump parse %s', (path, count) => {
  const expected = asPrinted(parse(readFileSync(path), { source: path }).posts);

  it(`prints its ${count} records as the library reads them`, () => {
    const r = runCli(['parse', path]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(expected);
    expect(expected).toHaveLength(count);
  });

  it('reads the same from stdin, found to be a page by its first bytes', () => {
    const r = runCli(['parse', '-f', 'jsonl'], { input: readFileSync(path) });
    expect(r.status).toBe(0);
    expect(readJsonLines(r.stdout)).toEqual(expected.map((p) => ({ ...p, source: '-' })));
  });
});

describe('messages and exit status', () => {
  it('a page without posts: exit 1, one clear error line, nothing on stdout', () => {
    const r = runCli(['parse', 'fixtures/html/no-posts.html']);
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 1, stdout: '' });
    expect(stderrLines(r.stderr)).toEqual([
      'postdump: error: fixtures/html/no-posts.html: no post found: this HTML page has no div.Post or #PostContent, and its visible text has no title line followed by a "By <author> | <date> | <N>位读者" header',
    ]);
  });

  it('-v tells how each page was read', () => {
    const r = runCli(['parse', '-v', 'fixtures/html/listing.html', 'fixtures/html/article.html', '-f', 'jsonl']);
    expect(r.status).toBe(0);
    expect(stderrLines(r.stderr)).toEqual([
      'postdump: info: fixtures/html/listing.html: read as a kexue.fm listing page (div.Post): 9 posts',
      'postdump: info: fixtures/html/article.html: read as a kexue.fm article page (#PostContent): 1 post',
      'postdump: info: 10 posts, 0 warnings, 0 errors',
    ]);
  });

  it('a broken header in a page of another theme is a warning at its source line; --strict makes it fail', () => {
    const warning =
      'fixtures/html/other-theme.html:39: line looks like a post header but its date "2021-13-45" is not a real YYYY-MM-DD date; kept as excerpt text';
    const r = runCli(['parse', 'fixtures/html/other-theme.html', '-f', 'jsonl']);
    expect(r.status).toBe(0);
    expect(stderrLines(r.stderr)).toEqual([`postdump: warning: ${warning}`]);
    const strict = runCli(['parse', '--strict', 'fixtures/html/other-theme.html', '-f', 'jsonl']);
    expect(strict.status).toBe(1);
    expect(stderrLines(strict.stderr)).toEqual([`postdump: error: ${warning}`]);
  });

  it('a post of a listing that cannot be read is a warning; the others are printed', () => {
    const page = readFileSync('fixtures/html/listing.html', 'utf8').replace('2021-01-26 | 31392位读者', '2021-02-30 | 31392位读者');
    const file = join(dir, 'broken.html');
    writeFileSync(file, page);
    const r = runCli(['parse', file, '-f', 'jsonl']);
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(8);
    expect(stderrLines(r.stderr)).toEqual([
      `postdump: warning: ${file}:51: post skipped: "Seq2Seq重复解码现象的理论分析尝试" has a meta line "By 苏剑林 | 2021-02-30 | 31392位读者 | 引用" that its date "2021-02-30" is not a real YYYY-MM-DD date`,
    ]);
  });

  it('pages and dumps mix in one run, in input order', () => {
    const r = runCli(['parse', 'fixtures/html/article.html', 'fixtures/seed.txt', 'fixtures/html/listing.html', '-f', 'jsonl']);
    expect(r.status).toBe(0);
    const sources = readJsonLines(r.stdout).map((p) => p.source);
    expect(sources).toEqual([
      ...Array<string>(1).fill('fixtures/html/article.html'),
      ...Array<string>(8).fill('fixtures/seed.txt'),
      ...Array<string>(9).fill('fixtures/html/listing.html'),
    ]);
  });

  it('Markdown links each title to its post', () => {
    const r = runCli(['parse', 'fixtures/html/listing.html', '-f', 'md']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('## [【搜出来的文本】⋅(三)基于BERT的文本采样](https://kexue.fm/archives/8119)');
  });
});

describe('--input-type', () => {
  it('text reads a page as a dump (no urls); html reads a fragment on stdin as a page', () => {
    const asText = runCli(['parse', '--input-type', 'text', 'fixtures/html/listing.html', '-f', 'jsonl']);
    expect(asText.stdout).not.toContain('"url":"https');
    const fragment =
      '<div class="Post"><h2><a href="/archives/8119">标题</a></h2><span class="submitted">By 苏剑林 | 2021-01-22 | 81957位读者</span><p>正文&lt;eos&gt;</p></div>\n';
    const asPage = runCli(['parse', '--input-type', 'html', '-f', 'jsonl'], { input: fragment });
    expect(asPage.status).toBe(0);
    expect(JSON.parse(asPage.stdout)).toMatchObject({ title: '标题', excerpt: '正文<eos>', url: 'https://kexue.fm/archives/8119', id: 8119, line: 1 });
    // Without it, a fragment is not a document: it is read as a dump, which has no post.
    expect(runCli(['parse'], { input: fragment }).status).toBe(1);
  });

  it('a bad value is a usage error (exit 2)', () => {
    const r = runCli(['parse', '--input-type', 'xml', 'fixtures/seed.txt']);
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 2, stdout: '' });
    expect(stderrLines(r.stderr)).toEqual([
      "postdump: error: option '--input-type <type>' argument 'xml' is invalid. Allowed choices are auto, html, feed, markdown, text.",
    ]);
  });
});

it('the HTML examples of `parse --help` run as printed, in a folder of saved pages, and give records', () => {
  const help = runCli(['parse', '--help']).stdout;
  const examples = help.split('\n').flatMap((l) => (/^\s+\$ .*pages\//.test(l) ? [l.replace(/^\s+\$ /, '')] : []));
  expect(examples.length).toBeGreaterThanOrEqual(3);
  mkdirSync(join(dir, 'pages/2021'), { recursive: true });
  for (const name of ['listing.html', 'article.html']) copyFileSync(join(repoRoot, 'fixtures/html', name), join(dir, 'pages', name));
  copyFileSync(join(repoRoot, 'fixtures/html/listing-gb18030.html'), join(dir, 'pages/2021/listing-gb18030.html'));
  for (const example of examples) {
    const r = runShell(example, { cwd: dir });
    expect({ example, status: r.status }).toEqual({ example, status: 0 });
    expect(r.stdout).not.toBe('');
  }
});

describe('lazy loading', () => {
  // Printed at exit: the packages loaded through require (htmlparser2 and iconv-lite are; the CLI's own ESM imports are not).
  const preload = join(dir, 'loaded.cjs');
  writeFileSync(
    preload,
    `process.on('exit', () => {
      const names = Object.keys(require.cache).flatMap((p) => p.match(/node_modules\\/(iconv-lite|htmlparser2)\\//)?.[1] ?? []);
      require('fs').writeSync(2, 'LOADED ' + [...new Set(names)].sort().join(',') + '\\n');
    });`,
  );
  const loaded = (args: string): string => {
    const r = runShell(`"$POSTDUMP_NODE" --require ${shellQuote(preload)} "$POSTDUMP_BIN" ${args} > /dev/null`);
    return /LOADED (.*)/.exec(r.stderr)?.[1] ?? 'no report';
  };

  it('a text dump loads neither htmlparser2 nor iconv-lite; a page loads htmlparser2; an iconv-lite encoding loads iconv-lite', () => {
    expect(loaded('parse fixtures/seed.txt')).toBe('');
    expect(loaded('parse fixtures/encodings/dump.gb18030.txt')).toBe('');
    expect(loaded('parse fixtures/html/listing.html')).toBe('htmlparser2');
    expect(loaded('parse fixtures/html/article.html')).toBe('htmlparser2');
    expect(loaded('parse --encoding cp437 fixtures/seed.txt')).toBe('iconv-lite');
  });
});
