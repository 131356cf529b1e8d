/**
 * Outputs under pressure (issue 16): two runs writing the same names at once, a run killed with
 * SIGKILL, symbolic links inside --out-dir, and --jobs asked past what the machine holds.
 */
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFileSink } from '../src/output/file.js';
import { PostdumpError } from '../src/index.js';
import { binPath, childEnv, expectNoStackTrace, runCli, seedPath, startCli, stderrLines } from './helpers/cli.js';
import { filesBelow, temporaryFolders } from './helpers/workspace.js';

const tempDir = temporaryFolders('outputs');
const seed = readFileSync(seedPath);

/** A one-post dump whose title says who wrote it. */
const dump = (title: string): string => `${title}\nBy 苏剑林 | 2021-01-22 | 1位读者 | 引用正文\n`;

/** Runs `postdump ARGS` in `cwd` without waiting: its status and stderr when it ends. */
function started(args: string[], cwd: string): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(process.execPath, [binPath, ...args], { cwd, env: childEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stderr })));
}

describe('an existing output is never replaced without --force', () => {
  it('a file that appears while the output is written is kept: the output is refused (OUTPUT_EXISTS), not renamed over it', async () => {
    const dir = tempDir();
    const path = join(dir, 'out.json');
    const sink = await openFileSink(path, { force: false, inputs: [] });
    await sink.write(Buffer.from('ours\n'));
    // Another run puts its output in place meanwhile.
    writeFileSync(path, 'theirs\n');
    const error = await sink.close().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PostdumpError);
    expect((error as PostdumpError).diagnostic).toMatchObject({ code: 'OUTPUT_EXISTS', detail: path });
    expect(readFileSync(path, 'utf8')).toBe('theirs\n');
    expect(readdirSync(dir)).toEqual(['out.json']);
  });

  it('two convert runs into one --out-dir: each output is written by one run, which says so, and holds what that run wrote', async () => {
    const dir = tempDir();
    const names = Array.from({ length: 300 }, (_, i) => `p${String(i).padStart(3, '0')}.txt`);
    for (const run of ['a', 'b']) {
      mkdirSync(join(dir, run));
      for (const name of names) writeFileSync(join(dir, run, name), dump(`${run} ${name}`));
    }
    const [a, b] = await Promise.all([
      started(['convert', 'a', '--out-dir', 'out', '-f', 'jsonl'], dir),
      started(['convert', 'b', '--out-dir', 'out', '-f', 'jsonl'], dir),
    ]);
    const refused = (r: { stderr: string }): Set<string> =>
      new Set(stderrLines(r.stderr).flatMap((l) => /^postdump: error: out\/(p\d+)\.jsonl already exists/u.exec(l)?.[1] ?? []));
    const [refusedA, refusedB] = [refused(a), refused(b)];
    for (const name of names) {
      const stem = name.replace('.txt', '');
      const title = (JSON.parse(readFileSync(join(dir, 'out', `${stem}.jsonl`), 'utf8')) as { title: string }).title;
      // Exactly one run refused each name, and the file holds the other one's record.
      expect([refusedA.has(stem), refusedB.has(stem)].filter(Boolean)).toHaveLength(1);
      expect(title).toBe(`${refusedA.has(stem) ? 'b' : 'a'} ${name}`);
    }
    expect(readdirSync(join(dir, 'out')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  }, 60_000);
  it('two split runs into one folder: each note is written by one run, which says so, and holds what that run wrote', async () => {
    const dir = tempDir();
    const titles = Array.from({ length: 200 }, (_, i) => `标题${i}`);
    // Reader counts differ: one header under two titles is a menu's link to the second (noise), not a post.
    for (const run of ['a', 'b'])
      writeFileSync(join(dir, `${run}.txt`), titles.map((t, i) => `${t}\nBy 苏剑林 | 2021-01-22 | ${i + 1}位读者 | 引用${run}\n`).join(''));
    const [a, b] = await Promise.all([started(['split', 'a.txt', '--out-dir', 'notes'], dir), started(['split', 'b.txt', '--out-dir', 'notes'], dir)]);
    const refused = (r: { stderr: string }): Set<string> =>
      new Set(stderrLines(r.stderr).flatMap((l) => /^postdump: error: notes\/2021-01-22-(标题\d+)\.md already exists/u.exec(l)?.[1] ?? []));
    const [refusedA, refusedB] = [refused(a), refused(b)];
    for (const title of titles) {
      const body = readFileSync(join(dir, 'notes', `2021-01-22-${title}.md`), 'utf8')
        .trimEnd()
        .split('\n')
        .at(-1);
      expect([refusedA.has(title), refusedB.has(title)].filter(Boolean)).toHaveLength(1);
      expect(body).toBe(refusedA.has(title) ? 'b' : 'a');
    }
  }, 60_000);
});

describe('temporary files of a run killed with SIGKILL', () => {
  /** Starts `parse in.fifo -o out/a.json`, feeds it part of the seed, and kills it once its temporary file exists; returns that file's name. */
  async function killedRun(dir: string): Promise<string> {
    mkdirSync(join(dir, 'out'), { recursive: true });
    execFileSync('mkfifo', [join(dir, 'in.fifo')]);
    const child = startCli(['parse', 'in.fifo', '-o', 'out/a.json'], { cwd: dir });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const writer = await open(join(dir, 'in.fifo'), 'w');
    await writer.write(seed.subarray(0, 3000));
    let stray: string | undefined;
    for (let i = 0; i < 1000 && stray === undefined; i++) {
      stray = readdirSync(join(dir, 'out')).find((n) => n.endsWith('.tmp'));
      if (stray === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill('SIGKILL');
    await exited;
    await writer.close().catch(() => {});
    expect(stray).toMatch(/^\.a\.json\.postdump-[0-9a-f]{8}-\d+-[0-9a-f]{8}\.tmp$/u);
    return stray as string;
  }

  it('are removed by the next run that writes into their folder; files that only look like them are kept', async () => {
    const dir = tempDir();
    const stray = await killedRun(dir);
    const [, host, pid] = /\.postdump-([0-9a-f]{8})-(\d+)-/u.exec(stray) ?? [];
    const otherHost = (Number.parseInt(host as string, 16) ^ 1).toString(16).padStart(8, '0');
    const kept = [
      // A live process's (this test's own), another machine's, an older naming, a user's file.
      `.a.json.postdump-${host}-${process.pid}-0badcafe.tmp`,
      `.a.json.postdump-${otherHost}-${pid}-0badcafe.tmp`,
      `.a.json.${pid}-0badcafe.tmp`,
      'notes.tmp',
    ];
    for (const name of kept) writeFileSync(join(dir, 'out', name), 'keep\n');
    const r = runCli(['parse', seedPath, '-o', 'out/a.json', '--force'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual([...kept, 'a.json'].sort());
  });

  it('are removed by a run that writes another output there, without --force', async () => {
    const dir = tempDir();
    const stray = await killedRun(dir);
    expect(runCli(['convert', seedPath, '--out-dir', 'out'], { cwd: dir }).status).toBe(0);
    expect(readdirSync(join(dir, 'out'))).not.toContain(stray);
    expect(readdirSync(join(dir, 'out'))).toEqual(['seed.json']);
  });
});

describe('symbolic links inside --out-dir', () => {
  function tree(): string {
    const dir = tempDir();
    mkdirSync(join(dir, 'in/sub'), { recursive: true });
    mkdirSync(join(dir, 'elsewhere'));
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'in/a.txt'), seed);
    writeFileSync(join(dir, 'in/sub/b.txt'), seed);
    return dir;
  }

  it('a link to a folder outside is refused with one line naming it; nothing is written anywhere', () => {
    const dir = tree();
    symlinkSync('../elsewhere', join(dir, 'out/sub'));
    const r = runCli(['convert', 'in', '--out-dir', 'out'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(stderrLines(r.stderr)).toEqual([
      'postdump: error: not writing through out/sub, a symbolic link inside --out-dir to ../elsewhere (add --write-through-links to write there)',
    ]);
    expectNoStackTrace(r.stderr);
    expect(readdirSync(join(dir, 'elsewhere'))).toEqual([]);
    expect(readdirSync(join(dir, 'out'))).toEqual(['sub']);
  });

  it('a link to a folder inside the tree is refused too (two outputs could meet through it)', () => {
    const dir = tree();
    mkdirSync(join(dir, 'out/real'));
    symlinkSync('real', join(dir, 'out/sub'));
    const r = runCli(['convert', 'in', '--out-dir', 'out'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('not writing through out/sub, a symbolic link inside --out-dir to real');
  });

  it('--write-through-links writes through it; --out-dir itself may be a link', () => {
    const dir = tree();
    symlinkSync('../elsewhere', join(dir, 'out/sub'));
    expect(runCli(['convert', 'in', '--out-dir', 'out', '--write-through-links'], { cwd: dir }).status).toBe(0);
    expect(readdirSync(join(dir, 'elsewhere'))).toEqual(['b.json']);
    symlinkSync('out', join(dir, 'linked-out'));
    expect(runCli(['convert', 'in/a.txt', '--out-dir', 'linked-out', '--force'], { cwd: dir }).status).toBe(0);
    expect(filesBelow(join(dir, 'out'))).toEqual(['a.json', 'sub/b.json']);
  });

  it('split writes only directly into its folder: a note name that is a link is refused, or replaced with --force, never written through', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'notes'));
    writeFileSync(join(dir, 'outside.md'), 'outside\n');
    const name = '2021-01-22-【搜出来的文本】⋅(三)基于BERT的文本采样.md';
    symlinkSync('../outside.md', join(dir, 'notes', name));
    const r = runCli(['split', seedPath, '--out-dir', 'notes'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`notes/${name} already exists`);
    expect(runCli(['split', seedPath, '--out-dir', 'notes', '--force'], { cwd: dir }).status).toBe(0);
    expect(readFileSync(join(dir, 'outside.md'), 'utf8')).toBe('outside\n');
    expect(existsSync(join(dir, 'notes', name))).toBe(true);
  });
});

describe('--jobs', () => {
  it('is at most the number of cores (and what free memory holds): --jobs 64 runs as many as the default, and says so with -v', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'in'));
    for (let i = 0; i < 64; i++) writeFileSync(join(dir, 'in', `p${i}.txt`), dump(`p${i}`));
    const report = join(dir, 'threads.cjs');
    // The threads the process started, counted at exit: one per worker, and the main one.
    writeFileSync(report, `const { isMainThread } = require('node:worker_threads'); if (!isMainThread) require('fs').writeSync(2, 'WORKER\\n');`);
    const r = runCli(['convert', 'in', '--out-dir', 'out', '--jobs', '64', '-v'], { cwd: dir, env: { NODE_OPTIONS: `--require ${report}` } });
    expect(r.status).toBe(0);
    const cores = Number(execFileSync(process.execPath, ['-p', 'require("os").availableParallelism()']).toString());
    const workers = r.stderr.match(/^WORKER$/gmu)?.length ?? 0;
    expect(workers).toBeGreaterThan(0);
    expect(workers).toBeLessThanOrEqual(cores);
    expect(r.stderr).toMatch(/^postdump: info: --jobs 64 lowered to \d+: at most one job per core and per 600 MiB of free memory$/mu);
  });
});
