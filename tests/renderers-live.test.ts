/**
 * The fixture pages rendered now by each renderer installed here (scripts/renderers.ts: lynx, w3m,
 * links, elinks, html2text, pandoc, Chromium and the two clippers in it), each rendering parsed and
 * held to its page's expected records: a new version of a renderer that changes its layout fails
 * here, before users get wrong records. `.ci/run` installs the tools; a renderer whose tool is
 * missing is skipped, and its test's name says so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { expectedPosts, pageTruth, recordProblems } from '../scripts/rendered-records.js';
import { PAGES, RENDERERS, RenderSession, type Renderer } from '../scripts/renderers.js';
import { parse } from '../src/index.js';

/** The program a renderer runs: its Debian package's command, Chromium's at its path. */
function installed(renderer: Renderer): boolean {
  if (renderer.debian === 'chromium') return existsSync('/usr/bin/chromium');
  return spawnSync('sh', ['-c', `command -v ${renderer.debian ?? renderer.name}`]).status === 0;
}

const session = new RenderSession();
afterAll(() => session.close());

describe.each(RENDERERS.map((r) => [r.name, r] as const))('%s, run now', (_name, renderer) => {
  const has = installed(renderer);
  const skipped = has ? '' : ` (skipped: ${renderer.debian} is not installed)`;
  it.skipIf(!has).each(PAGES.map((p) => [p.name, p] as const))(
    `renders %s, which gives the page's expected records${skipped}`,
    async (_page, page) => {
      const text = await session.render(renderer, page);
      const { posts } = parse(text, { source: `${page.name}.${renderer.ext}` });
      expect(recordProblems(posts, expectedPosts(pageTruth(page), renderer))).toEqual([]);
    },
    120_000,
  );
});
