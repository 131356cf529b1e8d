/**
 * Scrapes as they really come (issue 13), end to end: each layout built in a temporary folder, by
 * the real tools where the machine has them (wget --mirror against a local server, gzip, brotli,
 * tar), and read by the built CLI: records, the summary's counts, the -v list, the exit status and
 * the output names.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, type Post } from '../src/index.js';
import { hasCommand, repoRoot, runCli, seedPath, stderrLines, type RunResult } from './helpers/cli.js';
import { readJsonLines } from './helpers/read-back.js';
import { filesBelow, temporaryFolders } from './helpers/workspace.js';

const tempDir = temporaryFolders('scrapes');
const fixture = (name: string): Buffer => readFileSync(join(repoRoot, 'fixtures/html', name));
const seed = readFileSync(seedPath);
const listing = fixture('listing.html');
const article = fixture('article.html');
// A 1×1 PNG, as an image a page links to.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const CSS = '@charset "utf-8";\nbody { margin: 0 }\n';
const JS = '/*! app v1 */\n!function(){window.app = {};}();\n';
const SUMMARY_TIME = /, \d+\.\d\d s$/u;

/** The last line of stderr (the summary) without its time. */
const summaryOf = (r: RunResult): string => (stderrLines(r.stderr).at(-1) ?? '').replace(SUMMARY_TIME, '');
/** The records of each output file below `dir`, by path. */
function outputs(dir: string): Record<string, Post[]> {
  return Object.fromEntries(filesBelow(dir).map((f) => [f, readJsonLines(readFileSync(join(dir, f), 'utf8')) as Post[]]));
}
/** A listing page whose reader counts are `more` higher: a later scrape of the same page. */
const rescraped = (page: Buffer, more: number): string => page.toString('utf8').replace(/(\d+)位读者/gu, (_, n: string) => `${Number(n) + more}位读者`);

function write(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
}

describe.skipIf(!hasCommand('wget'))(
  'a wget --mirror tree: extensionless pages, a query-string name, robots.txt, styles, scripts, images, an empty feed',
  () => {
    const NAV =
      '<nav><a href="/archives/9119">article</a> <a href="/?paged=2">»</a> <a href="/category/ml/">ml</a> <a href="/about/">about</a> ' +
      '<a href="/feed/">RSS</a> <a href="/sitemap.xml">sitemap</a></nav>\n' +
      '<link rel="stylesheet" href="/style.css"><script src="/app.js"></script><img src="/logo.png">\n';
    const withNav = (page: Buffer): string => page.toString('utf8').replace('<body>', `<body>\n${NAV}`);
    const SITE: Record<string, [type: string, body: string | Buffer]> = {
      '/': ['text/html; charset=utf-8', withNav(listing)],
      '/?paged=2': ['text/html; charset=utf-8', withNav(listing)],
      '/archives/9119': ['text/html; charset=utf-8', withNav(article)],
      '/category/ml/': ['text/html; charset=utf-8', withNav(listing)],
      '/about/': ['text/html; charset=utf-8', '<!DOCTYPE html><html><head><title>关于</title></head><body><p>关于本站。</p></body></html>\n'],
      '/feed/': ['application/rss+xml', '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>科学空间</title></channel></rss>\n'],
      '/sitemap.xml': ['application/xml', '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n'],
      '/robots.txt': ['text/plain', 'User-agent: *\nDisallow: /wp-admin/\n'],
      '/style.css': ['text/css', CSS],
      '/app.js': ['application/javascript', JS],
      '/logo.png': ['image/png', PNG],
    };
    let server: Server;
    let dir = '';

    beforeAll(async () => {
      server = createServer((request, response) => {
        const page = SITE[request.url ?? ''];
        response.writeHead(page === undefined ? 404 : 200, { 'content-type': page?.[0] ?? 'text/plain' });
        response.end(page?.[1] ?? 'not found');
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const { port } = server.address() as AddressInfo;
      dir = tempDir();
      const wget = spawn('wget', ['--mirror', '--no-host-directories', '--quiet', '--directory-prefix=mirror', `http://127.0.0.1:${port}/`], { cwd: dir });
      await once(wget, 'exit');
    }, 60_000);
    afterAll(() => server?.close());

    it('wget saved the tree a mirror has', () => {
      expect(filesBelow(join(dir, 'mirror'))).toEqual([
        'about/index.html',
        'app.js',
        'archives/9119',
        'category/ml/index.html',
        'feed/index.html',
        'index.html',
        'index.html?paged=2',
        'logo.png',
        'robots.txt',
        'sitemap.xml',
        'style.css',
      ]);
    });

    it('convert: the pages read by content, whatever their names, the rest skipped and counted; exit 0; output names for extensionless and query-string pages', () => {
      const r = runCli(['convert', 'mirror', '--out-dir', 'out', '-f', 'jsonl'], { cwd: dir });
      expect(r.status).toBe(0);
      expect(summaryOf(r)).toBe('postdump: info: 11 files: 6 read (2 without a post), 5 not pages; 28 posts, 0 warnings, 0 errors');
      expect(stderrLines(r.stderr)).toHaveLength(1);
      const written = outputs(join(dir, 'out'));
      expect(Object.keys(written)).toEqual(['archives/9119.jsonl', 'category/ml/index.jsonl', 'index-paged=2.jsonl', 'index.jsonl']);
      expect(written['archives/9119.jsonl']?.map((p) => [p.id, p.url, p.source])).toEqual([[9119, 'https://kexue.fm/archives/9119', 'mirror/archives/9119']]);
      expect(written['index-paged=2.jsonl']?.map((p) => p.source)).toEqual(Array(9).fill('mirror/index.html?paged=2'));
    });

    it('-v lists each file skipped, with its reason, and the page without a post', () => {
      const r = runCli(['convert', 'mirror', '--out-dir', 'out', '-f', 'jsonl', '-v', '--force'], { cwd: dir });
      const notes = stderrLines(r.stderr).filter((l) => l.includes(': skipped: ') || l.includes(': no post'));
      expect(notes).toEqual([
        'postdump: info: mirror/about/index.html: no post found: this HTML page has no div.Post or #PostContent, and its visible text has no title line followed by a "By <author> | <date> | <N>位读者" header',
        'postdump: info: mirror/app.js: skipped: a script, not a page or a text dump',
        'postdump: info: mirror/feed/index.html: no post found: this feed has no item or entry',
        'postdump: info: mirror/logo.png: skipped: a PNG image, not a page or a text dump',
        'postdump: info: mirror/robots.txt: skipped: a robots.txt, not a page or a text dump',
        'postdump: info: mirror/sitemap.xml: skipped: a sitemap, not a page or a text dump',
        'postdump: info: mirror/style.css: skipped: a style sheet, not a page or a text dump',
      ]);
    });

    it('check reports the same counts; parse reads the folder too; named, robots.txt is an error', () => {
      const check = runCli(['check', 'mirror'], { cwd: dir });
      expect({ status: check.status, stdout: check.stdout }).toEqual({ status: 0, stdout: '' });
      expect(summaryOf(check)).toBe('postdump: info: checked 11 files: 6 read (2 without a post), 5 not pages; 28 posts, 0 warnings, 0 errors');
      const parsed = runCli(['parse', 'mirror', '-f', 'jsonl', '--fields', 'id'], { cwd: dir });
      expect(parsed.status).toBe(0);
      expect(readJsonLines(parsed.stdout)).toHaveLength(28);
      expect(stderrLines(parsed.stderr)).toEqual(['postdump: info: 11 files: 6 read (2 without a post), 5 not pages']);
      const robots = runCli(['parse', 'mirror/robots.txt'], { cwd: dir });
      expect({ status: robots.status, stderr: robots.stderr }).toEqual({
        status: 1,
        stderr: 'postdump: error: mirror/robots.txt: a robots.txt, not a page or a text dump\n',
      });
      const about = runCli(['parse', 'mirror/about/index.html'], { cwd: dir });
      expect(about.status).toBe(1);
    });

    it('--exclude skips more, gitignore-like, against the path below the folder', () => {
      const r = runCli(['stats', 'mirror', '--exclude', 'category/', '--exclude', '*.css', '--exclude', '/index.html*', '-v'], { cwd: dir });
      expect(r.status).toBe(0);
      const lines = stderrLines(r.stderr);
      expect(lines.filter((l) => l.includes('excluded by'))).toEqual([
        'postdump: info: mirror/category/ml/index.html: skipped: excluded by --exclude category/',
        'postdump: info: mirror/index.html: skipped: excluded by --exclude /index.html*',
        'postdump: info: mirror/index.html?paged=2: skipped: excluded by --exclude /index.html*',
        'postdump: info: mirror/style.css: skipped: excluded by --exclude *.css',
      ]);
      expect(lines).toContain('postdump: info: 11 files: 3 read (2 without a post), 4 not pages, 4 excluded');
      expect(r.stdout.split('\n')[0]).toBe('1 post, 2022-06-13 to 2022-06-13');
    });

    it('stats, split and convert --merge say once that posts appear more than once; --dedupe keeps one, the article page’s', () => {
      const note = 'postdump: info: 9 posts appear more than once (28 copies); --dedupe keeps one';
      const stats = runCli(['stats', 'mirror'], { cwd: dir });
      expect(stderrLines(stats.stderr)).toContain(note);
      const merge = runCli(['convert', 'mirror', '--merge', 'all.jsonl'], { cwd: dir });
      expect(stderrLines(merge.stderr)).toContain(note);
      const deduped = runCli(['convert', 'mirror', '--merge', 'one.jsonl', '--dedupe', '--fields', 'id,source,categories', '--force'], { cwd: dir });
      expect(stderrLines(deduped.stderr).filter((l) => l.includes('more than once'))).toEqual([]);
      const records = readJsonLines(readFileSync(join(dir, 'one.jsonl'), 'utf8')) as Post[];
      expect(records).toHaveLength(9);
      expect(records.find((p) => p.id === 9119)).toEqual({ id: 9119, source: 'mirror/archives/9119', categories: ['信息时代', '深度学习'] });
    });
  },
);

describe('"Save Page As, complete": page.html beside page_files/ with scripts, styles, images and frames', () => {
  const dir = tempDir();
  const ad = '<!DOCTYPE html><html><body><a href="https://ads.example/"><img src="banner.png"></a><p>广告</p></body></html>\n';
  // A comment widget's frame: other people's comments, shaped like posts to the text parser.
  const comments =
    '<!DOCTYPE html><html><body><div class="comments">\n<p>好文章</p>\n<p>By 张三 | 2022-06-14 | 3位读者 | 引用说得好</p>\n' +
    '<p>再读一遍</p>\n<p>By 李四 | 2022-06-15 | 5位读者 | 引用同意</p>\n</div></body></html>\n';
  write(dir, {
    'saved/page.html': listing,
    'saved/page_files/jquery.min.js': JS,
    'saved/page_files/style.css': CSS,
    'saved/page_files/logo.png': PNG,
    'saved/page_files/ad.htm': ad,
    'saved/page_files/comments.htm': comments,
  });

  it('the resource folder is skipped whole and counted; only the page gives records; exit 0', () => {
    const r = runCli(['convert', 'saved', '--out-dir', 'out', '-f', 'jsonl', '-v'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(filesBelow(join(dir, 'out'))).toEqual(['page.jsonl']);
    expect(readJsonLines(readFileSync(join(dir, 'out/page.jsonl'), 'utf8'))).toHaveLength(9);
    const lines = stderrLines(r.stderr);
    expect(lines.filter((l) => l.includes(': skipped: '))).toEqual(
      ['ad.htm', 'comments.htm', 'jquery.min.js', 'logo.png', 'style.css'].map(
        (f) => `postdump: info: saved/page_files/${f}: skipped: a resource of the saved page page.html (its _files folder)`,
      ),
    );
    expect(summaryOf(r)).toBe('postdump: info: 6 files: 1 read, 5 resources; 9 posts, 0 warnings, 0 errors');
  });

  it('without its page beside it, a folder named _files is an ordinary folder', () => {
    const lonely = tempDir();
    write(lonely, { 'x/notes_files/seed.txt': seed });
    const r = runCli(['parse', 'x', '-f', 'jsonl'], { cwd: lonely });
    expect(r.status).toBe(0);
    expect(readJsonLines(r.stdout)).toHaveLength(8);
  });
});

describe('.gz, .br and .tar.gz inputs, made by gzip, brotli and tar', () => {
  const dir = tempDir();
  write(dir, {
    'plain/seed.txt': seed,
    'plain/listing.html': listing,
    'tree/mirror/a.txt': seed,
    'tree/mirror/archives/9119': article,
    'tree/mirror/style.css': CSS,
  });
  const made = (command: string, args: string[]): void => {
    const r = spawnSync(command, args, { cwd: dir });
    if (r.status !== 0) throw new Error(`${command} failed: ${r.stderr.toString()}`);
  };
  mkdirSync(join(dir, 'in'));
  made('gzip', ['--keep', 'plain/seed.txt']);
  cpSync(join(dir, 'plain/seed.txt.gz'), join(dir, 'in/seed.txt.gz'));
  // gzip by its magic bytes, whatever the name.
  cpSync(join(dir, 'plain/seed.txt.gz'), join(dir, 'in/renamed.txt'));
  made('tar', ['--create', '--gzip', '--file', 'in/mirror.tar.gz', '--directory', 'tree', 'mirror']);
  const brotli = hasCommand('brotli');
  if (brotli) {
    made('brotli', ['--keep', 'plain/listing.html']);
    cpSync(join(dir, 'plain/listing.html.br'), join(dir, 'in/listing.html.br'));
  }

  it('named, each reads as the plain file', () => {
    const plain = parse(seed, { source: 'in/seed.txt.gz' }).posts;
    const r = runCli(['parse', 'in/seed.txt.gz', '-f', 'jsonl'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(readJsonLines(r.stdout)).toEqual(plain);
    if (brotli) {
      const br = runCli(['parse', 'in/listing.html.br', '-f', 'jsonl', '--fields', 'id'], { cwd: dir });
      expect(readJsonLines(br.stdout)).toEqual(parse(listing, { source: 'x.html' }).posts.map((p) => ({ id: p.id })));
    }
  });

  it('in a folder: one output each, the compression suffix dropped; an archive one output, its members named archive:path; counts', (ctx) => {
    ctx.skip(!brotli, 'brotli (Debian package brotli) is not installed');
    const r = runCli(['convert', 'in', '--out-dir', 'out', '-f', 'jsonl', '-v'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(filesBelow(join(dir, 'out'))).toEqual(['listing.jsonl', 'mirror.jsonl', 'renamed.jsonl', 'seed.jsonl']);
    const members = readJsonLines(readFileSync(join(dir, 'out/mirror.jsonl'), 'utf8')) as Post[];
    // In the archive's own order.
    expect([...new Set(members.map((p) => p.source))].sort()).toEqual(['in/mirror.tar.gz:mirror/a.txt', 'in/mirror.tar.gz:mirror/archives/9119']);
    expect(stderrLines(r.stderr)).toContain('postdump: info: in/mirror.tar.gz:mirror/style.css: skipped: a style sheet, not a page or a text dump');
    expect(summaryOf(r)).toBe('postdump: info: 6 files: 5 read, 1 not a page; 34 posts, 0 warnings, 0 errors');
  });
});

describe('Markdown clippings (*.md) in a folder', () => {
  const dir = tempDir();
  const obsidian = `---\ntitle: "科学空间 | Scientific Spaces"\nsource: "https://kexue.fm/"\nclipped: 2025-11-20\ntags:\n  - "clippings"\n---\n\n${seed.toString('utf8')}`;
  write(dir, { 'clips/obsidian.md': obsidian, 'clips/plain.md': seed });

  it('are read through the text parser: the records of the dumps they hold', () => {
    const r = runCli(['convert', 'clips', '--out-dir', 'out', '-f', 'jsonl'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(summaryOf(r)).toBe('postdump: info: 2 files, 16 posts, 0 warnings, 0 errors');
    const written = outputs(join(dir, 'out'));
    expect(Object.keys(written)).toEqual(['obsidian.jsonl', 'plain.jsonl']);
    expect(written['obsidian.jsonl']?.map((p) => p.title)).toEqual(parse(seed).posts.map((p) => p.title));
  });
});

describe('a mirror where each post appears on several pages', () => {
  const dir = tempDir();
  write(dir, {
    // The home page, scraped first; a tag page, scraped later (more readers); the article page of one post.
    'site/a-home.html': listing,
    'site/b-tag.html': rescraped(listing, 100),
    'site/c-article.html': article,
  });

  it('stats counts the copies and says so once', () => {
    const r = runCli(['stats', 'site', '--json'], { cwd: dir });
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { posts: number }).posts).toBe(19);
    expect(stderrLines(r.stderr)).toEqual(['postdump: info: 9 posts appear more than once (19 copies); --dedupe keeps one']);
  });

  it('split writes -2 notes and says why; --dedupe writes one note per post', () => {
    const r = runCli(['split', 'site', '--out-dir', 'notes'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(stderrLines(r.stderr)).toEqual([
      'postdump: info: 9 posts appear more than once (19 copies); --dedupe keeps one',
      'postdump: info: wrote 19 notes in notes',
    ]);
    expect(readdirSync(join(dir, 'notes')).filter((n) => n.endsWith('-2.md'))).toHaveLength(9);
    const once = runCli(['split', 'site', '--out-dir', 'once', '--dedupe'], { cwd: dir });
    expect(stderrLines(once.stderr)).toEqual(['postdump: info: wrote 9 notes in once']);
  });

  it('--dedupe keeps the most complete copy in the place of the first: the article page’s, else the newest scrape’s', () => {
    const r = runCli(['parse', 'site', '--dedupe', '-f', 'jsonl', '--fields', 'id,readers,source'], { cwd: dir });
    const home = parse(listing, { source: 'x.html' }).posts;
    expect(readJsonLines(r.stdout)).toEqual(
      home.map((p) =>
        p.id === 9119 ? { id: 9119, readers: 379908, source: 'site/c-article.html' } : { id: p.id, readers: (p.readers ?? 0) + 100, source: 'site/b-tag.html' },
      ),
    );
  });
});

describe('re-runs: convert --skip-existing and --update', () => {
  it('convert only what is new or newer, exit 0, the outputs skipped counted', () => {
    const dir = tempDir();
    write(dir, { 'in/a.txt': seed, 'in/b.txt': seed, 'in/c.html': listing });
    expect(runCli(['convert', 'in', '--out-dir', 'out'], { cwd: dir }).status).toBe(0);
    const again = runCli(['convert', 'in', '--out-dir', 'out'], { cwd: dir });
    expect(again.status).toBe(1);
    const skip = runCli(['convert', 'in', '--out-dir', 'out', '--skip-existing', '-v'], { cwd: dir });
    expect(skip.status).toBe(0);
    expect(stderrLines(skip.stderr)).toEqual([
      'postdump: info: in/a.txt: skipped: out/a.json is up to date',
      'postdump: info: in/b.txt: skipped: out/b.json is up to date',
      'postdump: info: in/c.html: skipped: out/c.json is up to date',
      expect.stringMatching(/^postdump: info: 3 files: 0 read, 3 up to date; 0 posts, 0 warnings, 0 errors, /u),
    ]);
    // An input newer than its output is converted again by --update, without --force; a new input too.
    const future = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'in/b.txt'), future, future);
    writeFileSync(join(dir, 'in/d.txt'), seed);
    const update = runCli(['convert', 'in', '--out-dir', 'out', '--update'], { cwd: dir });
    expect(update.status).toBe(0);
    expect(summaryOf(update)).toBe('postdump: info: 4 files: 2 read, 2 up to date; 16 posts, 0 warnings, 0 errors');
    const usage = runCli(['convert', 'in', '--merge', 'all.json', '--update'], { cwd: dir });
    expect({ status: usage.status, stderr: usage.stderr }).toEqual({
      status: 2,
      stderr: 'postdump: error: --update applies to --out-dir, one output per input\n',
    });
  });

  it('two inputs that would write one output are still a usage error; one skipped by content is no clash', () => {
    const dir = tempDir();
    write(dir, { 'in/a.txt': seed, 'in/a.html': listing, 'css/main.css': CSS, 'css/main.js': JS, 'css/main.txt': seed });
    const clash = runCli(['convert', 'in', '--out-dir', 'out'], { cwd: dir });
    expect({ status: clash.status, stderr: clash.stderr }).toEqual({
      status: 2,
      stderr: 'postdump: error: in/a.html and in/a.txt would both be written to out/a.json; convert their folder instead, or use --merge\n',
    });
    // On two threads: the style sheet and the script get no task of their own, so none can race the dump for out2/main.json.
    const fine = runCli(['convert', 'css', '--out-dir', 'out2', '--jobs', '2', '-v'], { cwd: dir });
    expect(fine.status).toBe(0);
    expect(filesBelow(join(dir, 'out2'))).toEqual(['main.json']);
    expect(stderrLines(fine.stderr).slice(0, 2)).toEqual([
      'postdump: info: css/main.css: skipped: a style sheet, not a page or a text dump',
      'postdump: info: css/main.js: skipped: a script, not a page or a text dump',
    ]);
  });
});

describe('folder names as they really are', () => {
  it('a name that is not UTF-8, found in a folder, is still opened', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'in'));
    writeFileSync(Buffer.concat([Buffer.from(join(dir, 'in/')), Buffer.from([0xb9, 0xfe, 0x2e, 0x74, 0x78, 0x74])]), seed);
    const r = runCli(['parse', 'in', '-f', 'jsonl', '--fields', 'source'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(readJsonLines(r.stdout)).toEqual(Array(8).fill({ source: 'in/\uFFFD\uFFFD.txt' }));
  });

  it('a folder of 200,000 files is walked without overflowing the stack', async () => {
    // Made and removed here, within this test's time: removing them takes longer than a hook may.
    const dir = mkdtempSync(join(tmpdir(), 'postdump-scrapes-big-'));
    try {
      mkdirSync(join(dir, 'big/sub'), { recursive: true });
      for (let i = 0; i < 200_000; i++) writeFileSync(join(dir, `big/sub/${i}.txt`), '');
      const { expandInputs } = await import('../src/input/expand.js');
      const entries = await expandInputs([join(dir, 'big')], { exclude: [] });
      expect(entries).toHaveLength(200_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
