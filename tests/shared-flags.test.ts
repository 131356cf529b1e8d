/**
 * The flags every reading command shares (--encoding, --strict, -v) and convert's format flags, end to
 * end on convert, split, stats and check (parse's are covered in cli.test.ts).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, stderrLines } from './helpers/cli.js';
import { temporaryFolders } from './helpers/workspace.js';
import { readJsonLines } from './helpers/read-back.js';

const tempDir = temporaryFolders('flags');
const DUMP = ['首页', '第一篇', 'By 苏剑林 | 2021-01-22 | 100位读者 | 引用第一段。', '第二篇', 'By 苏剑林 | 2021-02-01 | 200位读者 | 引用第二段。', ''].join(
  '\n',
);
const WARNED = ['第一篇', 'By 苏剑林 | 2021-01-22 | 100位读者 | 引用第一段。', 'By 苏剑林 | 2021-13-45 | 5位读者 | 引用坏的。', ''].join('\n');

/** A folder with `utf16.txt` (UTF-16LE without a BOM: auto-detection calls it binary), `warned.txt` (one warning). */
function workspace(): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'utf16.txt'), Buffer.from(DUMP, 'utf16le'));
  writeFileSync(join(dir, 'warned.txt'), WARNED);
  return dir;
}

describe('--encoding', () => {
  it('convert, split, stats and check read a UTF-16LE dump with --encoding utf-16le, and refuse it without', () => {
    const dir = workspace();
    const runs = {
      convert: runCli(['convert', 'utf16.txt', '--out-dir', 'out', '--encoding', 'utf-16le', '-f', 'jsonl'], { cwd: dir }),
      split: runCli(['split', 'utf16.txt', '--out-dir', 'notes', '--encoding', 'utf-16le'], { cwd: dir }),
      stats: runCli(['stats', 'utf16.txt', '--encoding', 'utf-16le', '--json'], { cwd: dir }),
      check: runCli(['check', 'utf16.txt', '--encoding', 'utf-16le'], { cwd: dir }),
    };
    for (const r of Object.values(runs)) expect(r.status).toBe(0);
    expect(readJsonLines(readFileSync(join(dir, 'out/utf16.jsonl'), 'utf8')).map((p) => p.title)).toEqual(['第一篇', '第二篇']);
    expect(readdirSync(join(dir, 'notes')).sort()).toEqual(['2021-01-22-第一篇.md', '2021-02-01-第二篇.md']);
    expect((JSON.parse(runs.stats.stdout) as { posts: number }).posts).toBe(2);
    const refused = runCli(['check', 'utf16.txt'], { cwd: dir });
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(/^utf16\.txt: error: binary input/u);
    expect(runCli(['stats', 'utf16.txt', '--encoding', 'klingon'], { cwd: dir })).toMatchObject({ status: 2, stdout: '' });
  });
});

describe('--strict and -v', () => {
  it('--strict: warnings fail the run (exit 1) and are shown as errors; convert withholds that output', () => {
    const dir = workspace();
    const convert = runCli(['convert', 'warned.txt', '--out-dir', 'out', '--strict'], { cwd: dir });
    expect(convert.status).toBe(1);
    expect(stderrLines(convert.stderr)[0]).toMatch(/^postdump: error: warned\.txt:3: line looks like a post header/u);
    expect(readdirSync(join(dir, 'out'))).toEqual([]);
    expect(runCli(['convert', 'warned.txt', '--out-dir', 'out'], { cwd: dir }).status).toBe(0);
    expect(runCli(['stats', 'warned.txt', '--strict'], { cwd: dir }).status).toBe(1);
    expect(runCli(['stats', 'warned.txt'], { cwd: dir }).status).toBe(0);
    expect(runCli(['split', 'warned.txt', '--out-dir', 'notes', '--strict'], { cwd: dir }).status).toBe(1);
    expect(runCli(['check', 'warned.txt', '--strict'], { cwd: dir }).stdout).toMatch(/^warned\.txt:3: error: /u);
  });

  it('-v: skipped page noise and the run’s counts on stderr (convert, split, stats)', () => {
    const dir = workspace();
    writeFileSync(join(dir, 'dump.txt'), DUMP);
    const noise = 'postdump: info: dump.txt:1: skipped page noise: 1 line starting "首页"';
    expect(stderrLines(runCli(['convert', 'dump.txt', '--out-dir', 'out', '-v'], { cwd: dir }).stderr)[0]).toBe(noise);
    expect(stderrLines(runCli(['split', 'dump.txt', '--out-dir', 'notes', '-v', '--limit', '1'], { cwd: dir }).stderr)).toEqual([
      noise,
      'postdump: info: 2 posts, 1 selected, 0 warnings, 0 errors',
      'postdump: info: wrote 1 note in notes',
    ]);
    expect(stderrLines(runCli(['stats', 'dump.txt', '-v'], { cwd: dir }).stderr)).toEqual([noise, 'postdump: info: 2 posts, 0 warnings, 0 errors']);
    expect(runCli(['stats', 'dump.txt'], { cwd: dir }).stderr).toBe('');
  });
});

describe('convert: format flags', () => {
  it('--compact, --table and -f apply to each output', () => {
    const dir = workspace();
    writeFileSync(join(dir, 'dump.txt'), DUMP);
    expect(runCli(['convert', 'dump.txt', '--out-dir', 'json', '--compact', '--fields', 'title,readers'], { cwd: dir }).status).toBe(0);
    expect(readFileSync(join(dir, 'json/dump.json'), 'utf8')).toBe('[{"title":"第一篇","readers":100},{"title":"第二篇","readers":200}]\n');
    expect(runCli(['convert', 'dump.txt', '--out-dir', 'md', '-f', 'md', '--table'], { cwd: dir }).status).toBe(0);
    expect(readFileSync(join(dir, 'md/dump.md'), 'utf8')).toBe(
      '| title | author | date | readers |\n| --- | --- | --- | ---: |\n| 第一篇 | 苏剑林 | 2021-01-22 | 100 |\n| 第二篇 | 苏剑林 | 2021-02-01 | 200 |\n',
    );
  });
});
