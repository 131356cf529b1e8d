/**
 * Remakes every committed rendering (fixtures/renderers/PAGE/RENDERER.txt|md) and the manifest that
 * names each tool's version: `npm run fixtures:render`. With `-- --check`, writes nothing and exits 1
 * when a rendering made now differs from the committed one (a new tool version changed its layout).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CLIP_TIME, PAGES, RENDERERS, RenderSession, renderingPath, repoRoot, toolVersions } from './renderers.js';

const check = process.argv.includes('--check');
const session = new RenderSession();
const changed: string[] = [];

function put(path: string, text: string): void {
  const file = join(repoRoot, path);
  let old: string | null = null;
  try {
    old = readFileSync(file, 'utf8');
  } catch {
    // Not made yet.
  }
  if (old === text) return;
  changed.push(path);
  if (check) return;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

try {
  for (const page of PAGES) {
    for (const renderer of RENDERERS) put(renderingPath(page, renderer), await session.render(renderer, page));
  }
  const manifest = {
    about: 'Made by scripts/render-fixtures.ts (npm run fixtures:render); see fixtures/renderers/README.md.',
    tools: await toolVersions(session),
    clipTime: CLIP_TIME.toISOString(),
    pages: PAGES,
    renderers: RENDERERS.map(({ name, ext, invocation, debian, npm }) => ({ name, ext, invocation, debian, npm })),
  };
  put('fixtures/renderers/manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
} finally {
  await session.close();
}

for (const path of changed) console.log(`${check ? 'differs' : 'wrote'}: ${path}`);
console.log(`${PAGES.length * RENDERERS.length} renderings, ${changed.length} ${check ? 'differ' : 'changed'}`);
if (check && changed.length > 0) process.exitCode = 1;
