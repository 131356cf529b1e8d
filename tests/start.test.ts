/**
 * Start-up (issue 17): the CLI runs from V8's code cache of its bundle, which `npm run build` writes,
 * and falls back without a word to compiling the bundle when the cache does not fit; a start loads
 * neither standard input nor Node's modules it does not need (`child_process`, `zlib`, ...). The
 * time itself is `npm run bench`'s to measure, never a test's.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, cpSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { childEnv, repoRoot, runCli, runShell, seedPath, shellQuote } from './helpers/cli.js';
import { temporaryFolders } from './helpers/workspace.js';

const tempDir = temporaryFolders('start');
const bundle = join(repoRoot, 'dist/cli/postdump.cjs');
const start = join(repoRoot, 'dist/cli/start.cjs');

function node(args: readonly string[], cwd = repoRoot): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, args, { cwd, env: childEnv(), encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const rejected = (args: readonly string[] = []): string =>
  node([...args, '-e', `process.stdout.write(String(require(${JSON.stringify(start)}).compileBundle().cachedDataRejected))`]).stdout;

/** A copy of the built CLI (bin, the bundle and its loader, package.json) with `cache` as its code cache, or none. */
function copyOfCli(cache: Uint8Array | null): string {
  const root = tempDir();
  for (const path of ['package.json', 'bin/postdump.js', 'bin/package.json', 'dist/cli/start.cjs', 'dist/cli/postdump.cjs']) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    cpSync(join(repoRoot, path), join(root, path));
  }
  const cacheFile = join(root, 'dist/cli/postdump.cache');
  rmSync(cacheFile, { force: true });
  if (cache !== null) writeFileSync(cacheFile, cache);
  return root;
}

describe('the code cache', () => {
  const expected = runCli(['parse', seedPath, '-f', 'jsonl']);

  it('that the build wrote is taken by this Node, and the CLI runs from it', () => {
    expect(rejected()).toBe('false');
    expect(expected.status).toBe(0);
    expect(expected.stderr).toBe('');
    expect(expected.stdout.split('\n')).toHaveLength(9);
  });

  it('is set aside without a word under other V8 flags (V8 rejects it), and the output is the same', () => {
    expect(rejected(['--stack-size=900'])).toBe('true');
    const r = node(['--stack-size=900', join(repoRoot, 'bin/postdump.js'), 'parse', seedPath, '-f', 'jsonl']);
    expect(r).toEqual({ status: 0, stdout: expected.stdout, stderr: '' });
  });

  it.each([
    ['missing', null],
    ['of random bytes', Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24)],
    ['cut short', readFileSync(join(repoRoot, 'dist/cli/postdump.cache')).subarray(0, 1000)],
    ['empty', new Uint8Array(0)],
  ])('%s: the bundle is compiled as without one, without a word', (_name, cache) => {
    const root = copyOfCli(cache);
    const r = node([join(root, 'bin/postdump.js'), 'parse', seedPath, '-f', 'jsonl'], root);
    expect(r).toEqual({ status: 0, stdout: expected.stdout, stderr: '' });
  });

  it('the bundle is ASCII only, which the loader reads as Latin-1 (the build escapes what esbuild leaves)', () => {
    const bytes = readFileSync(bundle);
    expect(bytes.findIndex((byte) => byte > 0x7f)).toBe(-1);
  });

  it('the bundle imports no module outside it at run time (a script compiled by vm has no loader for import() in Node 20)', () => {
    // A type in a bundled library's JSDoc (` * @param {import('stream').Transform}`) imports nothing.
    const lines = readFileSync(bundle, 'utf8').split('\n');
    const code = lines.filter((line) => !/^\s*(\*|\/\/)/.test(line)).join('\n');
    expect(code.match(/\bimport\s*\(\s*["'`][^"'`]+["'`]\s*\)/g) ?? []).toEqual([]);
  });
});

describe('a start loads only what it uses', () => {
  // Node's modules a parse of a file to stdout does not use (src/cli/start.ts loads some of them lazily).
  const UNUSED = ['child_process', 'zlib', 'os', 'perf_hooks', 'timers/promises', 'fs/promises', 'v8', 'module'];
  // Run first (-r): records whether standard input, error (and output) were made and which of `unused` were loaded.
  const probe = (unused = UNUSED, streams = ['stdin', 'stderr']): string => {
    const file = join(tempDir(), 'probe.cjs');
    writeFileSync(
      file,
      `const made = Object.fromEntries(${JSON.stringify(streams)}.map((name) => [name, false]));
for (const name of Object.keys(made)) {
  const get = Object.getOwnPropertyDescriptor(process, name).get;
  Object.defineProperty(process, name, { configurable: true, get() { made[name] = true; return get.call(process); } });
}
const loaded = (name) => process.moduleLoadList.includes('NativeModule ' + name);
// Written to fd 2 itself: process.stderr would make the stream this looks for.
process.on('exit', () => require('node:fs').writeSync(2, JSON.stringify({ ...made, unused: ${JSON.stringify(unused)}.filter(loaded) })));
`,
    );
    return file;
  };

  it(`parsing a file makes no standard input, nor standard error when it has nothing to say, and loads none of ${UNUSED.join(', ')}`, () => {
    const r = node(['-r', probe(), join(repoRoot, 'bin/postdump.js'), 'parse', seedPath, '-f', 'jsonl']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stderr)).toEqual({ stdin: false, stderr: false, unused: [] });
  });

  it("standard output over a file or /dev/null is written without a stream: neither process.stdout nor Node's stream module is made, and the file gets what a pipe gets", () => {
    const expected = runCli(['parse', seedPath, '-f', 'jsonl']).stdout;
    const file = join(tempDir(), 'out.jsonl');
    for (const path of [file, '/dev/null']) {
      const out = openSync(path, 'w');
      try {
        const r = spawnSync(
          process.execPath,
          ['-r', probe([...UNUSED, 'stream'], ['stdin', 'stdout', 'stderr']), join(repoRoot, 'bin/postdump.js'), 'parse', seedPath, '-f', 'jsonl'],
          {
            env: childEnv(),
            stdio: ['ignore', out, 'pipe'],
            encoding: 'utf8',
          },
        );
        expect(r.status).toBe(0);
        expect(JSON.parse(r.stderr)).toEqual({ stdin: false, stdout: false, stderr: false, unused: [] });
      } finally {
        closeSync(out);
      }
    }
    expect(readFileSync(file, 'utf8')).toBe(expected);
  });

  it('a gzipped input loads zlib when it needs it', () => {
    const file = join(tempDir(), 'seed.txt.gz');
    writeFileSync(file, gzipSync(readFileSync(seedPath)));
    const r = node([join(repoRoot, 'bin/postdump.js'), 'parse', file, '-f', 'jsonl']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')).toHaveLength(9);
  });

  it('standard input is still read when it is the input', () => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'bin/postdump.js'), 'parse', '-f', 'jsonl'], {
      env: childEnv(),
      input: readFileSync(seedPath),
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')).toHaveLength(9);
  });
});

describe('the end of a run', () => {
  it('waits for a reader slower than the run: every warning reaches a pipe that is read only after the run ended', () => {
    // About 3 MB of warnings, far more than a pipe holds: Node still has most of them to write when the run is over.
    const noisy = join(tempDir(), 'noisy.txt');
    writeFileSync(noisy, readFileSync(join(repoRoot, 'fixtures/variants/broken-headers.txt'), 'utf8').repeat(3000));
    const all = runCli(['parse', noisy, '-f', 'jsonl']);
    expect(all.stderr.length).toBeGreaterThan(1 << 20);
    const r = runShell(`set -o pipefail; postdump parse ${shellQuote(noisy)} -f jsonl 2>&1 >/dev/null | { sleep 1; wc -c; }`);
    expect(r.status).toBe(0);
    expect(Number(r.stdout.trim())).toBe(Buffer.byteLength(all.stderr));
  });
});
