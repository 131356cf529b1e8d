/**
 * wget run live, where the machine has it: it crawls the fixture site (fixtures/archives/make/site.mjs,
 * on 127.0.0.1, reached as wget's HTTP proxy so that the archive names the site's own addresses) into a
 * WARC, as the committed `crawl.warc.gz` was made, and postdump must read from it the committed crawl's
 * records and record counts. A wget whose WARC changes shape fails here, not in a user's hands.
 * Offsets are left out of the comparison: they move with wget's own headers (its version string).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Post } from '../src/index.js';
import { hasCommand, repoRoot, runCli, stderrLines } from './helpers/cli.js';
import { readJsonLines } from './helpers/read-back.js';
import { temporaryFolders } from './helpers/workspace.js';

interface Site {
  CRAWL: string[];
  startSite: () => Promise<{ server: Server; port: number }>;
}

const ARCHIVES = join(repoRoot, 'fixtures/archives');
const ALL_FIELDS = 'title,author,date,readers,excerpt,url,id,line,categories,tags';
const tempDir = temporaryFolders('archives-live');
const expected = JSON.parse(readFileSync(join(ARCHIVES, 'crawl.warc.gz.expected.json'), 'utf8')) as { posts: Post[] };

/** A record without its source (`crawl.warc.gz#OFFSET`) and with enrichment only where there is some, as the expected file writes it. */
function comparable(post: Post): Partial<Post> {
  const { source: _source, categories, tags, ...rest } = post;
  return { ...rest, ...(categories !== undefined && categories.length > 0 ? { categories } : {}), ...(tags !== undefined && tags.length > 0 ? { tags } : {}) };
}

describe.skipIf(!hasCommand('wget'))('wget --warc-file, live, against the fixture site', () => {
  let server: Server | undefined;
  let dir = '';

  beforeAll(async () => {
    const site = (await import(pathToFileURL(join(ARCHIVES, 'make/site.mjs')).href)) as Site;
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
    expect(readJsonLines(r.stdout).map((p) => comparable(p as Post))).toEqual(expected.posts.map(comparable));
    expect(stderrLines(r.stderr)).toContain(
      'postdump: info: crawl.warc.gz: 24 records: 5 read, 19 skipped (10 request records, 3 not pages, 2 resource records, 1 warcinfo record, 1 with status 301, 1 with status 404, 1 metadata record)',
    );
  });
});
