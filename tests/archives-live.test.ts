/**
 * wget run live, where the machine has it: it crawls the fixture site (fixtures/archives/make/site.mjs,
 * on 127.0.0.1, reached as wget's HTTP proxy so that the archive names the site's own addresses) into a
 * WARC, as the committed `crawl.warc.gz` was made, and postdump must read from it the committed crawl's
 * records and record counts. A wget whose WARC changes shape fails here, not in a user's hands.
 * Offsets are left out of the comparison: they move with wget's own headers (its version string).
 * Chromium, where installed, saves the article and the GB18030 listing as MHTML snapshots in the same
 * way, and they must give the committed snapshots' records.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Post } from '../src/index.js';
import { hasCommand, repoRoot, runCli, stderrLines } from './helpers/cli.js';
import { ALL_FIELDS, asExpected, readJsonLines } from './helpers/read-back.js';
import { temporaryFolders } from './helpers/workspace.js';

interface Site {
  CRAWL: string[];
  startSite: () => Promise<{ server: Server; port: number }>;
}
interface Snapshots {
  CHROMIUM: string;
  snapshots: (port: number, addresses: string[]) => Promise<{ mhtml: string[] }>;
}

const ARCHIVES = join(repoRoot, 'fixtures/archives');
const tempDir = temporaryFolders('archives-live');
const expectedOf = (name: string): Post[] => (JSON.parse(readFileSync(join(ARCHIVES, `${name}.expected.json`), 'utf8')) as { posts: Post[] }).posts;
const load = async <T>(module: string): Promise<T> => (await import(pathToFileURL(join(ARCHIVES, 'make', module)).href)) as T;
const chromium = (await load<Snapshots>('mhtml.mjs')).CHROMIUM;

/** The same without its source (`crawl.warc.gz#OFFSET`), whose offset moves with wget's headers. */
const withoutSource = ({ source: _source, ...rest }: Post): Omit<Post, 'source'> => rest;

describe.skipIf(!hasCommand('wget'))('wget --warc-file, live, against the fixture site', () => {
  let server: Server | undefined;
  let dir = '';

  beforeAll(async () => {
    const site = await load<Site>('site.mjs');
    const started = await site.startSite();
    server = started.server;
    dir = tempDir();
    writeFileSync(join(dir, 'urls.txt'), `${site.CRAWL.join('\n')}\n`);
    const proxy = `http://127.0.0.1:${started.port}/`;
    const wget = spawn('wget', ['--warc-file=crawl', '--compression=auto', '--tries=1', '--quiet', '-i', 'urls.txt', '-P', 'pages'], {
      cwd: dir,
      stdio: 'ignore',
      env: { ...process.env, http_proxy: proxy, https_proxy: proxy, no_proxy: '' },
    });
    await once(wget, 'exit');
  }, 60_000);
  afterAll(() => server?.close());

  it('gives the committed crawl’s records and the same count of records by reason', () => {
    const r = runCli(['parse', 'crawl.warc.gz', '-v', '-f', 'jsonl', '--fields', ALL_FIELDS], { cwd: dir });
    expect(r.status).toBe(0);
    expect((readJsonLines(r.stdout) as Post[]).map((p) => withoutSource(asExpected(p)))).toEqual(expectedOf('crawl.warc.gz').map(withoutSource));
    expect(stderrLines(r.stderr)).toContain(
      'postdump: info: crawl.warc.gz: 24 records: 5 read, 19 skipped (10 request records, 3 not pages, 2 resource records, 1 warcinfo record, 1 with status 301, 1 with status 404, 1 metadata record)',
    );
  });
});

describe.skipIf(!existsSync(chromium))('Chromium’s MHTML snapshots (Page.captureSnapshot), live, of the fixture site', () => {
  it('give the committed snapshots’ records', async () => {
    const { server, port } = await (await load<Site>('site.mjs')).startSite();
    try {
      const { mhtml } = await (await load<Snapshots>('mhtml.mjs')).snapshots(port, ['http://kexue.fm/archives/9119', 'http://www.spaces.ac.cn/']);
      const dir = tempDir();
      const names = ['article.mhtml', 'listing-gb18030.mhtml'];
      for (const [i, name] of names.entries()) {
        writeFileSync(join(dir, name), mhtml[i] ?? '');
        const r = runCli(['parse', name, '-f', 'jsonl', '--fields', ALL_FIELDS], { cwd: dir });
        expect({ name, status: r.status, stderr: r.stderr }).toEqual({ name, status: 0, stderr: '' });
        expect((readJsonLines(r.stdout) as Post[]).map(asExpected)).toEqual(expectedOf(name));
      }
    } finally {
      server.close();
    }
  }, 60_000);
});
