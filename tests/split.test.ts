/** `postdump split`, end to end: one note per post, safe unique names, nothing outside --out-dir, atomic, --force. */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { noteText } from '../src/format/front-matter.js';
import { seriesOf } from '../src/parse/series.js';
import { parse, type Post } from '../src/index.js';
import { repoRoot, runCli, stderrLines } from './helpers/cli.js';
import { filesBelow, temporaryFolders } from './helpers/workspace.js';

const tempDir = temporaryFolders('split');
const seedText = readFileSync(join(repoRoot, 'fixtures/seed.txt'));

function withSeries(post: Post): Post {
  const found = seriesOf(post.title);
  return { ...post, series: found?.series ?? null, part: found?.part ?? null };
}

function frontMatter(note: string): Record<string, unknown> {
  return parseYaml(/^---\n([\s\S]*?)---\n/u.exec(note)?.[1] ?? '') as Record<string, unknown>;
}

describe('split', () => {
  it('the seed: 8 notes named DATE-TITLE.md, each the post’s front matter and excerpt; nothing on stdout', () => {
    const dir = tempDir();
    const r = runCli(['split', join(repoRoot, 'fixtures/seed.txt'), '--out-dir', 'notes'], { cwd: dir });
    expect(r).toMatchObject({ status: 0, stdout: '', stderr: 'postdump: info: wrote 8 notes in notes\n' });
    const names = readdirSync(join(dir, 'notes')).sort();
    expect(names).toEqual([
      '2021-01-22-【搜出来的文本】⋅(三)基于BERT的文本采样.md',
      '2021-01-26-Seq2Seq重复解码现象的理论分析尝试.md',
      '2021-02-16-Nyströmformer 基于矩阵分解的线性化Attention方案.md',
      '2021-04-03-P-tuning 自动构建模版,释放语言模型潜能.md',
      '2021-12-17-Seq2Seq+前缀树 检索任务新范式(以KgCLUE为例).md',
      '2021-12-24-概率分布的熵归一化(Entropy Normalization).md',
      '2022-01-18-多任务学习漫谈(一) 以损失之名.md',
      '2022-06-13-生成扩散模型漫谈(一) DDPM = 拆楼 + 建楼.md',
    ]);
    const posts = parse(seedText, { source: join(repoRoot, 'fixtures/seed.txt') }).posts.map(withSeries);
    names.forEach((name, i) => {
      expect(readFileSync(join(dir, 'notes', name), 'utf8')).toBe(noteText(posts[i] as Post));
    });
    expect(frontMatter(readFileSync(join(dir, 'notes', names[0] as string), 'utf8'))).toMatchObject({ series: '搜出来的文本', part: 3, date: '2021-01-22' });
  });

  it('hostile titles: safe, unique names, every file directly in --out-dir, nothing anywhere else; each title intact in its front matter', () => {
    const root = tempDir();
    mkdirSync(join(root, 'work'));
    const r = runCli(['split', join(repoRoot, 'fixtures/commands/hostile-titles.txt'), '--out-dir', 'notes'], { cwd: join(root, 'work') });
    expect(r.status).toBe(0);
    expect(filesBelow(root)).toEqual(
      [
        '2021-01-01-CON.md',
        '2021-01-01-SAME TITLE-3.md',
        '2021-01-01-Same Title-2.md',
        '2021-01-01-Same Title.md',
        '2021-01-01-a b c d e f g h.md',
        '2021-01-01-escape.md',
        '2021-01-01-etc passwd.md',
        '2021-01-01-hidden.md',
        '2021-01-01-quoted yes.md',
        '2021-01-01-tab inside and trailing dots.md',
        '2021-01-01-windows system32.md',
        '2021-01-01-右到左 txt.exe.md',
        `2021-01-01-${'很长的标题'.repeat(12)}很长.md`,
      ]
        .map((name) => `work/notes/${name}`)
        .sort(),
    );
    expect(existsSync('/etc/passwd.md')).toBe(false);
    const titles = parse(readFileSync(join(repoRoot, 'fixtures/commands/hostile-titles.txt'))).posts.map((p) => p.title);
    const written = readdirSync(join(root, 'work/notes')).map((name) => frontMatter(readFileSync(join(root, 'work/notes', name), 'utf8')).title);
    expect(written.sort()).toEqual([...titles].sort());
  });

  it('existing notes need --force (exit 1, each named, left as they were); with --force they are replaced', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'notes'));
    const name = '2021-01-26-Seq2Seq重复解码现象的理论分析尝试.md';
    writeFileSync(join(dir, 'notes', name), 'mine\n');
    const r = runCli(['split', '-', '--out-dir', 'notes'], { cwd: dir, input: seedText });
    expect(r.status).toBe(1);
    expect(stderrLines(r.stderr)).toEqual([
      `postdump: error: notes/${name} already exists (use --force to overwrite)`,
      'postdump: info: wrote 7 notes in notes',
    ]);
    expect(readFileSync(join(dir, 'notes', name), 'utf8')).toBe('mine\n');
    const forced = runCli(['split', '-', '--out-dir', 'notes', '--force'], { cwd: dir, input: seedText });
    expect(forced.status).toBe(0);
    expect(readFileSync(join(dir, 'notes', name), 'utf8')).toMatch(/^---\ntitle: "Seq2Seq重复解码现象的理论分析尝试"\n/u);
    expect(readdirSync(join(dir, 'notes'))).toHaveLength(8);
  });

  it('a link in --out-dir with a note’s name is replaced by the note, never written through (--force)', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'notes'));
    writeFileSync(join(dir, 'outside.txt'), 'precious\n');
    const name = '2022-06-13-生成扩散模型漫谈(一) DDPM = 拆楼 + 建楼.md';
    symlinkSync(join(dir, 'outside.txt'), join(dir, 'notes', name));
    const r = runCli(['split', '-', '--out-dir', 'notes', '--force'], { cwd: dir, input: seedText });
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, 'outside.txt'), 'utf8')).toBe('precious\n');
    expect(lstatSync(join(dir, 'notes', name)).isSymbolicLink()).toBe(false);
  });

  it('selection flags choose the notes; --out-dir is made with its parents', () => {
    const dir = tempDir();
    const r = runCli(['split', join(repoRoot, 'fixtures/commands/series.txt'), '--out-dir', 'a/b/notes', '--series', '生成扩散模型漫谈', '--dedupe'], {
      cwd: dir,
    });
    expect(r.status).toBe(0);
    expect(readdirSync(join(dir, 'a/b/notes')).sort()).toEqual([
      '2022-06-13-生成扩散模型漫谈(一) DDPM = 拆楼 + 建楼.md',
      '2022-07-06-生成扩散模型漫谈（二）：DDPM = 自回归式VAE.md',
    ]);
  });

  it('same title and date twice without --dedupe: both kept, the second with -2', () => {
    const dir = tempDir();
    const r = runCli(['split', join(repoRoot, 'fixtures/commands/series.txt'), '--out-dir', 'notes', '--series', '生成扩散模型漫谈', '-q'], { cwd: dir });
    expect(r).toMatchObject({ status: 0, stderr: '' });
    const names = readdirSync(join(dir, 'notes')).sort();
    expect(names).toEqual([
      '2022-06-13-生成扩散模型漫谈(一) DDPM = 拆楼 + 建楼-2.md',
      '2022-06-13-生成扩散模型漫谈(一) DDPM = 拆楼 + 建楼.md',
      '2022-07-06-生成扩散模型漫谈（二）：DDPM = 自回归式VAE.md',
    ]);
    expect(frontMatter(readFileSync(join(dir, 'notes', names[0] as string), 'utf8')).readers).toBe(380512);
  });

  it('failures: --out-dir missing (exit 2), --out-dir a file (exit 1), a missing input among good ones (exit 1, the rest written)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), '');
    const none = runCli(['split', join(repoRoot, 'fixtures/seed.txt')], { cwd: dir });
    expect(none).toMatchObject({
      status: 2,
      stdout: '',
      stderr:
        "postdump: error: required option '--out-dir <dir>' not specified\nusage: postdump split [inputs...] --out-dir DIR [options]; see postdump split --help\n",
    });
    const file = runCli(['split', join(repoRoot, 'fixtures/seed.txt'), '--out-dir', 'file'], { cwd: dir });
    expect(file).toMatchObject({ status: 1, stdout: '', stderr: 'postdump: error: cannot write file: not a folder\n' });
    const missing = runCli(['split', 'missing.txt', join(repoRoot, 'fixtures/seed.txt'), '--out-dir', 'notes', '--limit', '3'], { cwd: dir });
    expect(missing.status).toBe(1);
    expect(stderrLines(missing.stderr)).toEqual(['postdump: error: missing.txt: no such file', 'postdump: info: wrote 3 notes in notes']);
    expect(readdirSync(join(dir, 'notes'))).toHaveLength(3);
  });
});
