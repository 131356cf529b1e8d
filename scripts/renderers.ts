/// <reference lib="dom" />
/**
 * The fixture pages turned into text by the tools people use (issue 12): text browsers, converters,
 * Chromium's innerText and two web clippers. One page with one renderer, in memory:
 *
 *     const session = new RenderSession();
 *     const text = await session.render(renderer('lynx-dump'), page('listing'));
 *     await session.close();
 *
 * What makes the output reproducible, whatever folder the fixtures sit in and whoever runs it:
 * - Text browsers fetch the page by its real address (http://kexue.fm/...) through an HTTP proxy on
 *   127.0.0.1 that serves the fixture's bytes, so relative links resolve as on the live site and no
 *   file:// path or port appears in a References list. (http, not https: the proxy cannot speak TLS.)
 * - Chromium gets the page at its https address from request interception; every other request
 *   (style sheets, MathJax, images) is refused, and the page's own scripts are off: a saved page is
 *   shown as it was saved, after MathJax ran.
 * - Every tool runs with a fresh HOME, a UTF-8 locale, TERM=dumb and 80 columns; the clippers' clock
 *   is fixed (CLIP_TIME).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

const require = createRequire(import.meta.url);
const CHROMIUM = '/usr/bin/chromium';
/** The repository: the folder above this module (or its build) that holds package.json. */
function findRepoRoot(): string {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}
export const repoRoot = findRepoRoot();

/** A fixture page and the address it was saved from. */
export interface FixturePage {
  name: string;
  /** Repository-relative path of the saved page. */
  file: string;
  url: string;
}

export const PAGES: readonly FixturePage[] = [
  { name: 'listing', file: 'fixtures/html/listing.html', url: 'https://kexue.fm/page/3/' },
  { name: 'article', file: 'fixtures/html/article.html', url: 'https://kexue.fm/archives/9119' },
  { name: 'article-comments', file: 'fixtures/html/article-comments.html', url: 'https://kexue.fm/archives/9105' },
  { name: 'english-article', file: 'fixtures/html/english-article.html', url: 'https://kexue.fm/archives/11650' },
  { name: 'other-theme', file: 'fixtures/html/other-theme.html', url: 'https://mirror.example.org/category/ml/' },
];

/** The clippers' "now": their front matter records when a page was clipped. */
export const CLIP_TIME = new Date('2026-03-20T10:00:00Z');

/** A renderer: how it is run, and what its output is (plain text or Markdown). */
export interface Renderer {
  name: string;
  ext: 'txt' | 'md';
  /** The Debian package or npm packages whose versions the manifest names. */
  debian?: string;
  npm?: readonly string[];
  /** How a user runs it, for the manifest and the catalogue (URL stands for the page's address). */
  invocation: string;
  run(session: RenderSession, page: FixturePage, html: Buffer): Promise<string>;
}

const viaProxy = (command: string, args: (s: RenderSession, url: string) => string[]): Renderer['run'] => {
  return async (session, page) => {
    const proxy = await session.proxy();
    return session.exec(command, args(session, httpUrl(page)), { http_proxy: proxy, HTTP_PROXY: proxy });
  };
};

const onStdin = (command: string, args: string[]): Renderer['run'] => {
  return (session, _page, html) => session.exec(command, args, {}, html);
};

export const RENDERERS: readonly Renderer[] = [
  {
    name: 'lynx-dump',
    ext: 'txt',
    debian: 'lynx',
    invocation: 'lynx -dump -display_charset=utf-8 URL',
    run: viaProxy('lynx', (_s, url) => ['-dump', '-display_charset=utf-8', url]),
  },
  {
    name: 'lynx-dump-nolist',
    ext: 'txt',
    debian: 'lynx',
    invocation: 'lynx -dump -nolist -display_charset=utf-8 URL',
    run: viaProxy('lynx', (_s, url) => ['-dump', '-nolist', '-display_charset=utf-8', url]),
  },
  {
    name: 'w3m-dump',
    ext: 'txt',
    debian: 'w3m',
    invocation: 'w3m -dump -O UTF-8 URL',
    run: viaProxy('w3m', (_s, url) => ['-dump', '-O', 'UTF-8', url]),
  },
  {
    name: 'links-dump',
    ext: 'txt',
    debian: 'links',
    invocation: 'links -dump -codepage utf-8 URL',
    run: viaProxy('links', (s, url) => ['-dump', '-codepage', 'utf-8', '-http-proxy', s.proxyHost(), url]),
  },
  {
    name: 'elinks-dump',
    ext: 'txt',
    debian: 'elinks',
    invocation: 'elinks -dump -dump-charset UTF-8 URL',
    run: viaProxy('elinks', (s, url) => ['-no-home', '-eval', `set protocol.http.proxy.host = "${s.proxyHost()}"`, '-dump', '-dump-charset', 'UTF-8', url]),
  },
  {
    name: 'html2text',
    ext: 'txt',
    debian: 'html2text',
    invocation: 'html2text -utf8 < page.html',
    run: onStdin('html2text', ['-utf8']),
  },
  {
    name: 'pandoc-plain',
    ext: 'txt',
    debian: 'pandoc',
    invocation: 'pandoc -f html -t plain < page.html',
    run: onStdin('pandoc', ['-f', 'html', '-t', 'plain']),
  },
  {
    name: 'pandoc-gfm',
    ext: 'md',
    debian: 'pandoc',
    invocation: 'pandoc -f html -t gfm < page.html',
    run: onStdin('pandoc', ['-f', 'html', '-t', 'gfm']),
  },
  {
    name: 'chromium-innertext',
    ext: 'txt',
    debian: 'chromium',
    npm: ['puppeteer-core'],
    invocation: 'Chromium (headless, JavaScript off): document.body.innerText of the page at URL, as select-all and copy gives it',
    run: (session, page, html) =>
      // biome-ignore lint/performance/useDomNodeTextContent: the laid-out text, as select-all and copy gives it, is the point.
      session.inTab(page, html, async (tab) => `${await tab.evaluate(() => document.body.innerText)}\n`),
  },
  {
    name: 'obsidian-clipper',
    ext: 'md',
    debian: 'chromium',
    npm: ['puppeteer-core', 'defuddle'],
    invocation: "Obsidian Web Clipper's default template: Defuddle on the page in Chromium, then defuddle/full's createMarkdownContent",
    run: (session, page, html) => session.inTab(page, html, (tab) => obsidianNote(tab, page)),
  },
  {
    name: 'markdownload',
    ext: 'md',
    debian: 'chromium',
    npm: ['puppeteer-core', '@mozilla/readability', 'turndown', 'turndown-plugin-gfm'],
    invocation: "MarkDownload's default options with its front-matter template on: Readability, then Turndown with the GFM plugin, in Chromium",
    run: (session, page, html) => session.inTab(page, html, markDownload),
  },
];

export function renderer(name: string): Renderer {
  const found = RENDERERS.find((r) => r.name === name);
  if (found === undefined) throw new Error(`no renderer named ${name}`);
  return found;
}

export function page(name: string): FixturePage {
  const found = PAGES.find((p) => p.name === name);
  if (found === undefined) throw new Error(`no fixture page named ${name}`);
  return found;
}

/** Where a page's rendering is committed, repository-relative. */
export const renderingPath = (p: FixturePage, r: Renderer): string => `fixtures/renderers/${p.name}/${r.name}.${r.ext}`;

const httpUrl = (p: FixturePage): string => p.url.replace(/^https:/, 'http:');

/**
 * What the renderers share: the proxy, one headless Chromium (started on first use), a fresh HOME.
 * Close it when done.
 */
export class RenderSession {
  private readonly home = mkdtempSync(join(tmpdir(), 'postdump-render-'));
  private server: Server | undefined;
  private port = 0;
  private browser: Promise<Browser> | undefined;
  /** The pages the proxy serves, by http address. */
  private readonly served = new Map<string, Buffer>();

  async render(r: Renderer, p: FixturePage): Promise<string> {
    const html = readFileSync(join(repoRoot, p.file));
    this.served.set(httpUrl(p), html);
    return r.run(this, p, html);
  }

  /** The proxy's address (`http://127.0.0.1:PORT`), started on first use. */
  async proxy(): Promise<string> {
    if (this.server === undefined) {
      // A proxy is asked for absolute addresses: `GET http://kexue.fm/page/3/ HTTP/1.1`.
      const server = createServer((req, res) => {
        const body = this.served.get(req.url ?? '');
        if (body === undefined) {
          res.writeHead(404, { 'content-type': 'text/plain' }).end('not a fixture page\n');
          return;
        }
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length }).end(body);
      });
      this.server = server;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      this.port = (server.address() as AddressInfo).port;
    }
    return `http://${this.proxyHost()}`;
  }

  proxyHost(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Runs a tool with a clean environment; its standard output, or an error naming the tool. */
  exec(command: string, args: string[], env: Record<string, string>, input?: Buffer): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        command,
        args,
        {
          env: {
            PATH: process.env.PATH ?? '/usr/bin:/bin',
            HOME: this.home,
            LANG: 'C.UTF-8',
            LC_ALL: 'C.UTF-8',
            TERM: 'dumb',
            COLUMNS: '80',
            TZ: 'UTC',
            ...env,
          },
          encoding: 'utf8',
          maxBuffer: 16 * 1024 * 1024,
          timeout: 60_000,
        },
        (error, stdout, stderr) => {
          if (error !== null) reject(new Error(`${command} ${args.join(' ')}: ${error.message}${stderr === '' ? '' : `\n${stderr}`}`));
          else resolve(stdout);
        },
      );
      child.stdin?.end(input);
    });
  }

  /** Runs `use` on the page at its https address in a new Chromium tab (JavaScript off, nothing else loaded), then closes the tab. */
  async inTab<T>(p: FixturePage, html: Buffer, use: (tab: Page) => Promise<T>): Promise<T> {
    const tab = await (await this.chromium()).newPage();
    try {
      await tab.setJavaScriptEnabled(false);
      await tab.setRequestInterception(true);
      tab.on('request', (request) => {
        if (request.url() === p.url) void request.respond({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
        else void request.abort();
      });
      await tab.goto(p.url, { waitUntil: 'load' });
      return await use(tab);
    } finally {
      await tab.close();
    }
  }

  private chromium(): Promise<Browser> {
    this.browser ??= puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      userDataDir: mkdtempSync(join(this.home, 'chromium-')),
      env: { ...process.env, TZ: 'UTC', LANG: 'C.UTF-8' },
      // Without these, Chromium waits on the network this machine does not have.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    return this.browser;
  }

  async close(): Promise<void> {
    await (await this.browser)?.close();
    await new Promise<void>((resolve) => (this.server === undefined ? resolve() : this.server.close(() => resolve())));
    rmSync(this.home, { recursive: true, force: true });
  }
}

/** Runs a browser build of an npm package in the tab as a classic script (the page's own scripts stay off). */
async function inject(tab: Page, file: string): Promise<void> {
  await tab.evaluate(readFileSync(require.resolve(file), 'utf8'));
}

// ---------------------------------------------------------------------------------------------------
// Obsidian Web Clipper (obsidianmd/obsidian-clipper): its content script runs Defuddle on the live
// page, the popup turns Defuddle's content into Markdown with defuddle/full's createMarkdownContent,
// and the default template writes these properties (types from the clipper's default property types).

async function obsidianNote(tab: Page, p: FixturePage): Promise<string> {
  await inject(tab, 'defuddle/full');
  const clip = await tab.evaluate((url) => {
    const { Defuddle } = window as unknown as { Defuddle: DefuddleApi };
    const result = new Defuddle(document, { url }).parse();
    return { ...result, markdown: Defuddle.createMarkdownContent(result.content, url) };
  }, p.url);
  const authors = (clip.author ?? '')
    .trim()
    .split(', ')
    .filter((a) => a !== '')
    .map((a) => `[[${a}]]`);
  const front = [
    textProperty('title', clip.title),
    textProperty('source', p.url),
    listProperty('author', authors),
    dateProperty('published', (clip.published ?? '').split(',')[0] ?? ''),
    dateProperty('created', CLIP_TIME.toISOString()),
    textProperty('description', clip.description),
    listProperty('tags', ['clippings']),
  ];
  return `---\n${front.join('')}---\n${clip.markdown.trim()}\n`;
}

interface DefuddleResult {
  title: string;
  author?: string;
  published?: string;
  description?: string;
  content: string;
}
interface DefuddleApi {
  new (doc: Document, options: { url: string }): { parse(): DefuddleResult };
  createMarkdownContent(html: string, url: string): string;
}

const quoted = (value: string): string => `"${value.replace(/"/g, '\\"')}"`;
const textProperty = (name: string, value: string | undefined): string => (value?.trim() ? `${name}: ${quoted(value)}\n` : `${name}:\n`);
const listProperty = (name: string, items: string[]): string => `${name}:\n${items.map((i) => `  - ${quoted(i)}\n`).join('')}`;
/** A date property: YYYY-MM-DD when the value reads as a date (the clipper formats it with dayjs), else as it is. */
function dateProperty(name: string, value: string): string {
  const text = value.trim();
  if (text === '') return `${name}:\n`;
  const time = Date.parse(text);
  const date = /^\d{4}-\d{2}-\d{2}/.test(text) ? text.slice(0, 10) : Number.isNaN(time) ? text : new Date(time).toISOString().slice(0, 10);
  return `${name}: ${date}\n`;
}

// ---------------------------------------------------------------------------------------------------
// MarkDownload (deathau/markdownload 3.4): its content script removes hidden elements, adds a <base>
// and sends the page's HTML; the background page parses it again, marks MathJax sources, runs
// Readability and converts the article with Turndown (its default options, the GFM plugin and its own
// rules for MathJax, code blocks and links), after the front-matter template. The template is used
// only when "include front matter" is on (it is off by default); it is on here.

const MARKDOWNLOAD_FRONT_MATTER =
  '---\ncreated: {date:YYYY-MM-DDTHH:mm:ss} (UTC {date:Z})\ntags: [{keywords}]\nsource: {baseURI}\nauthor: {byline}\n---\n\n# {pageTitle}\n\n> ## Excerpt\n> {excerpt}\n\n---';

async function markDownload(tab: Page): Promise<string> {
  for (const file of ['@mozilla/readability/Readability.js', 'turndown/lib/turndown.browser.umd.js', 'turndown-plugin-gfm/dist/turndown-plugin-gfm.js']) {
    await inject(tab, file);
  }
  const article = await tab.evaluate(clipInPage);
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(article.fields)) fields[key] = value;
  const front = `${fillTemplate(MARKDOWNLOAD_FRONT_MATTER, fields)}\n`;
  // It strips characters its editor shows as red dots.
  return `${front}${article.markdown}\n`.replace(
    /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028\u2029\ufeff\ufff9-\ufffc]/g,
    '',
  );
}

/** The template's `{name}` fields, then `{date:FORMAT}` at CLIP_TIME (UTC), then any field left is removed. */
function fillTemplate(template: string, fields: Record<string, string>): string {
  let text = template;
  for (const [key, value] of Object.entries(fields)) text = text.replaceAll(`{${key}}`, value);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const t = CLIP_TIME;
  const formats: Record<string, string> = {
    'YYYY-MM-DDTHH:mm:ss': `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`,
    Z: '+00:00',
  };
  text = text.replace(/\{date:(.+?)\}/g, (_, format: string) => formats[format] ?? '');
  return text.replace(/\{(.*?)\}/g, '');
}

/** Runs in the tab: the content script's and the background page's steps. */
function clipInPage(): { markdown: string; fields: Record<string, string> } {
  interface Article {
    content: string;
    byline: string | null;
    excerpt: string | null;
    [key: string]: unknown;
  }
  interface TurndownNode extends HTMLElement {}
  interface TurndownLike {
    use(plugin: unknown): void;
    keep(tags: string[]): void;
    addRule(name: string, rule: { filter: (node: TurndownNode) => boolean; replacement: (content: string, node: TurndownNode) => string }): void;
    turndown(html: string): string;
  }
  const g = window as unknown as {
    Readability: new (doc: Document) => { parse(): Article | null };
    TurndownService: new (options: Record<string, unknown>) => TurndownLike;
    turndownPluginGfm: { gfm: unknown };
  };

  // Content script: a <base> with the page's address, hidden elements out, the page's HTML.
  if (document.head.getElementsByTagName('base').length === 0) document.head.append(document.createElement('base'));
  const base = document.head.getElementsByTagName('base')[0] as HTMLBaseElement;
  if (!(base.getAttribute('href') ?? '').startsWith(window.location.origin)) base.setAttribute('href', window.location.href);
  // Its test for "hidden": an element without offsetParent (not an HTML element: MathML's children),
  // or display: none, or visibility: hidden; removed only where its parent is an HTML element.
  // (Its NodeIterator walk, done by hand: the page's scripts are off, so the DOM cannot call back.)
  const skipped = new Set(['script', 'style', 'noscript', 'math']);
  const hidden = (el: Element): boolean => {
    if (skipped.has(el.nodeName.toLowerCase())) return false;
    if ((el as HTMLElement).offsetParent === undefined) return true;
    const style = getComputedStyle(el);
    return style.visibility === 'hidden' || style.display === 'none';
  };
  for (const el of Array.from(document.body.querySelectorAll('*'))) {
    if (document.body.contains(el) && hidden(el) && el.parentNode instanceof HTMLElement) el.parentNode.removeChild(el);
  }
  const sent = document.documentElement.outerHTML;

  // Background page: parse again, keep MathJax sources and code languages, Readability.
  const dom = new DOMParser().parseFromString(sent, 'text/html');
  const math: Record<string, { tex: string; inline: boolean }> = {};
  let mathCount = 0;
  for (const script of Array.from(dom.body.querySelectorAll('script[id^=MathJax-Element-]'))) {
    script.id = `markdownload-math-${mathCount++}`;
    math[script.id] = { tex: script.textContent ?? '', inline: !(script.getAttribute('type') ?? '').includes('mode=display') };
  }
  for (const code of Array.from(dom.body.querySelectorAll('[class*=language-]'))) {
    const language = /language-([a-z0-9]+)/.exec(code.className)?.[1];
    code.id = `code-lang-${language}`;
  }
  for (const heading of Array.from(dom.body.querySelectorAll('h1, h2, h3, h4, h5, h6'))) heading.className = '';
  dom.documentElement.removeAttribute('class');
  const article = new g.Readability(dom).parse();
  if (article === null) return { markdown: '', fields: {} };
  const fields: Record<string, string> = {};
  const keywords = dom.head.querySelector('meta[name="keywords"]')?.getAttribute('content');
  const info: Record<string, unknown> = {
    ...article,
    baseURI: dom.baseURI,
    pageTitle: dom.title,
    keywords: keywords?.split(',').map((s) => s.trim()),
  };
  for (const meta of Array.from(dom.head.querySelectorAll('meta[name][content], meta[property][content]'))) {
    const key = meta.getAttribute('name') ?? meta.getAttribute('property') ?? '';
    if (key !== '' && info[key] === undefined) info[key] = meta.getAttribute('content');
  }
  for (const [key, value] of Object.entries(info)) if (key !== 'content') fields[key] = `${value ?? ''}`;

  // Turndown with MarkDownload's default options and rules.
  const service = new g.TurndownService({
    headingStyle: 'atx',
    hr: '___',
    bulletListMarker: '-',
    codeBlockStyle: 'fenced',
    fence: '```',
    emDelimiter: '_',
    strongDelimiter: '**',
    linkStyle: 'inlined',
    linkReferenceStyle: 'full',
  });
  service.use(g.turndownPluginGfm.gfm);
  service.keep(['iframe', 'sub', 'sup', 'u', 'ins', 'del', 'small', 'big']);
  const absolute = (href: string): string => new URL(href, dom.baseURI).href;
  service.addRule('images', {
    filter: (node) => node.nodeName === 'IMG' && node.getAttribute('src') !== null,
    replacement: (_content, node) => {
      const src = absolute(node.getAttribute('src') ?? '');
      const alt = (node.getAttribute('alt') ?? '').replace(/(\n+\s*)+/g, '\n');
      const title = (node.getAttribute('title') ?? '').replace(/(\n+\s*)+/g, '\n');
      return `![${alt}](${src}${title === '' ? '' : ` "${title}"`})`;
    },
  });
  service.addRule('links', {
    filter: (node) => {
      if (node.nodeName === 'A' && node.getAttribute('href') !== null) node.setAttribute('href', absolute(node.getAttribute('href') ?? ''));
      return false;
    },
    replacement: (content) => content,
  });
  service.addRule('mathjax', {
    filter: (node) => Object.hasOwn(math, node.id),
    replacement: (_content, node) => {
      const found = math[node.id] as { tex: string; inline: boolean };
      const tex = found.tex.trim().replaceAll('\xa0', '');
      return found.inline ? `$${tex.replaceAll('\n', ' ')}$` : `$$\n${tex}\n$$`;
    },
  });
  const fenced = (node: Element): string => {
    const language = /code-lang-(.+)/.exec(node.id)?.[1] ?? '';
    const code = node.textContent ?? '';
    let size = 3;
    for (const m of code.matchAll(/^`{3,}/gm)) size = Math.max(size, m[0].length + 1);
    const fence = '`'.repeat(size);
    return `\n\n${fence}${language}\n${code.replace(/\n$/, '')}\n${fence}\n\n`;
  };
  service.addRule('fencedCodeBlock', {
    filter: (node) => node.nodeName === 'PRE' && node.firstChild?.nodeName === 'CODE',
    replacement: (_content, node) => fenced(node.firstChild as Element),
  });
  service.addRule('pre', {
    filter: (node) => node.nodeName === 'PRE' && node.firstChild?.nodeName !== 'CODE' && node.querySelector('img') === null,
    replacement: (_content, node) => fenced(node),
  });
  return { markdown: service.turndown(article.content), fields };
}

// ---------------------------------------------------------------------------------------------------
// Versions, for the manifest.

// How each Debian package's tool names its version (the first line it prints).
const VERSION_COMMANDS: Record<string, [string, ...string[]]> = {
  lynx: ['lynx', '-version'],
  w3m: ['w3m', '-version'],
  links: ['links', '-version'],
  elinks: ['elinks', '-version'],
  html2text: ['html2text', '-version'],
  pandoc: ['pandoc', '--version'],
  chromium: [CHROMIUM, '--version'],
};

/** The version of every tool and library the renderers use: as the tool reports it, and its Debian or npm package's. */
export async function toolVersions(session: RenderSession): Promise<Record<string, string>> {
  const versions: Record<string, string> = {};
  for (const pkg of new Set(RENDERERS.flatMap((r) => (r.debian === undefined ? [] : [r.debian])))) {
    const [command, ...args] = VERSION_COMMANDS[pkg] ?? [pkg, '--version'];
    const reported = (await session.exec(command, args, {})).trim().split('\n')[0];
    // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax.
    const debian = (await session.exec('dpkg-query', ['-W', '-f', '${Version}', pkg], {})).trim();
    versions[pkg] = `${reported} (Debian ${debian})`;
  }
  for (const pkg of new Set(RENDERERS.flatMap((r) => r.npm ?? []))) {
    const json = JSON.parse(readFileSync(join(repoRoot, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string };
    versions[pkg] = `${json.version} (npm)`;
  }
  return versions;
}
