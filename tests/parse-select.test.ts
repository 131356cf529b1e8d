/**
 * Selection flags on `postdump parse`, end to end (the built CLI): each flag against the records
 * the library gives, filtered here by hand; bad values are usage errors (exit 2).
 */
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parse, type Post } from '../src/index.js';
import { repoRoot, runCli, stderrLines } from './helpers/cli.js';
import { outcomes, temporaryFolders } from './helpers/workspace.js';
import { readJsonLines } from './helpers/read-back.js';

const SOURCE = 'fixtures/commands/series.txt';
const posts = parse(readFileSync(SOURCE), { source: SOURCE }).posts;
const tempDir = temporaryFolders('select');

/** Runs `parse SOURCE -f jsonl ...flags`: exit 0, nothing on stderr, the records. */
function selected(...flags: string[]): Post[] {
  const r = runCli(['parse', SOURCE, '-f', 'jsonl', ...flags]);
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  return readJsonLines<Record<string, unknown>>(r.stdout) as unknown as Post[];
}

describe('parse: selection flags', () => {
  it('--since/--until (inclusive), --author and --min-readers together', () => {
    const expected = posts.filter((p) => p.date >= '2021-06-01' && p.date <= '2022-06-13' && p.author === '苏剑林' && (p.readers ?? -1) >= 100000);
    expect(expected).toHaveLength(3);
    expect(selected('--since', '2021-6-1', '--until', '2022-06-13', '--author', '苏剑林', '--min-readers', '100000')).toEqual(expected);
  });

  it('--author is case-insensitive', () => {
    expect(selected('--author', 'JIANLIN SU').map((p) => p.title)).toEqual(['Steepest Descent on Manifolds: 5. Muon on the Stiefel Manifold']);
  });

  it('--grep: plain text in the title or the excerpt', () => {
    const expected = posts.filter((p) => p.title.includes('DDPM') || p.excerpt.includes('DDPM'));
    expect(expected).toHaveLength(3);
    expect(selected('--grep', 'DDPM')).toEqual(expected);
    expect(selected('--grep', 'Attention').map((p) => p.title)).toEqual(['多任务学习漫谈(十二):虚构的第十二篇']);
  });

  it('--series with --fields title,series,part: only those keys, in that order', () => {
    const r = runCli(['parse', SOURCE, '-f', 'jsonl', '--series', '多任务学习漫谈', '--fields', 'title,series,part']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      '{"title":"多任务学习漫谈(一):以损失之名","series":"多任务学习漫谈","part":1}\n' +
        '{"title":"多任务学习漫谈(十二):虚构的第十二篇","series":"多任务学习漫谈","part":12}\n',
    );
  });

  it('--fields with series and part in every format; titles without a series read null (empty in CSV)', () => {
    const csv = parseCsv(runCli(['parse', SOURCE, '-f', 'csv', '--fields', 'part,title,series']).stdout) as string[][];
    expect(csv[0]).toEqual(['part', 'title', 'series']);
    expect(csv.slice(1).map((row) => row[0])).toEqual(['1', '2', '3', '10', '1', '12', '5', '', '1', '1']);
    const json = JSON.parse(runCli(['parse', SOURCE, '--fields', 'title,series,part,tags', '--compact']).stdout) as Record<string, unknown>[];
    expect(json[7]).toEqual({ title: 'Seq2Seq+前缀树:检索任务新范式(以KgCLUE为例)', series: null, part: null, tags: [] });
    const table = runCli(['parse', SOURCE, '-f', 'md', '--table', '--fields', 'title,series,part', '--limit', '2']).stdout;
    expect(table).toBe(
      '| title | series | part |\n| --- | --- | --- |\n| 生成扩散模型漫谈(一):DDPM = 拆楼 + 建楼 | 生成扩散模型漫谈 | 1 |\n| 生成扩散模型漫谈（二）：DDPM = 自回归式VAE | 生成扩散模型漫谈 | 2 |\n',
    );
  });

  it('--sort readers --reverse --limit 3: the three most read, most first', () => {
    const expected = [...posts].sort((a, b) => (b.readers ?? -1) - (a.readers ?? -1)).slice(0, 3);
    expect(selected('--sort', 'readers', '--reverse', '--limit', '3')).toEqual(expected);
  });

  it('--sort date and --sort title ascend; ties keep input order', () => {
    const byDate = [...posts].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    expect(selected('--sort', 'date')).toEqual(byDate);
    const byTitle = [...posts].sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : 0));
    expect(selected('--sort', 'title').map((p) => p.line)).toEqual(byTitle.map((p) => p.line));
  });

  it('--dedupe keeps the newer scrape of a post seen twice (same title and date, more readers the second time), in the place of the first', () => {
    const kept = selected('--dedupe');
    const first = posts.findIndex((p) => p.title === posts.at(-1)?.title && p.date === posts.at(-1)?.date);
    expect(kept).toEqual(posts.slice(0, -1).map((p, i) => (i === first ? posts.at(-1) : p)));
  });

  it('--limit without --sort keeps the first N in input order', () => {
    expect(selected('--limit', '2')).toEqual(posts.slice(0, 2));
  });

  it('-v tells how many posts were selected', () => {
    const r = runCli(['parse', SOURCE, '--limit', '2', '-v', '-f', 'jsonl']);
    expect(stderrLines(r.stderr).at(-1)).toBe('postdump: info: 10 posts, 2 selected, 0 warnings, 0 errors');
  });

  it('a selection that keeps nothing is a success with an empty document: [] in JSON, a header row in CSV, nothing in JSON Lines', () => {
    const dir = tempDir();
    const json = runCli(['parse', SOURCE, '--author', 'nobody', '-o', join(dir, 'none.json')]);
    expect({ status: json.status, stdout: json.stdout, stderr: json.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(readFileSync(join(dir, 'none.json'), 'utf8')).toBe('[]\n');
    expect(runCli(['parse', SOURCE, '--author', 'nobody', '-f', 'csv', '--fields', 'title,date']).stdout).toBe('title,date\n');
    const lines = runCli(['parse', SOURCE, '--since', '2030-01-01', '-f', 'jsonl']);
    expect({ status: lines.status, stdout: lines.stdout }).toEqual({ status: 0, stdout: '' });
  });

  it('--sort across many batches (a 2 MB dump read in 1 MiB chunks) equals the library’s records sorted', () => {
    const dir = tempDir();
    const chunk = readFileSync(SOURCE, 'utf8');
    // Every copy is a fresh set of titles, so the sort mixes posts from every batch.
    const big = Array.from({ length: 1000 }, (_, i) => chunk.replaceAll(/^(.+)\n(By )/gmu, `$1 #${(i * 7919) % 1000}\n$2`)).join('');
    writeFileSync(join(dir, 'big.txt'), big);
    const all = parse(Buffer.from(big), { source: 'big.txt' }).posts;
    expect(Buffer.byteLength(big)).toBeGreaterThan(2 << 20);
    const r = runCli(['parse', 'big.txt', '-f', 'jsonl', '--sort', 'title', '--reverse'], { cwd: dir });
    expect(r.status).toBe(0);
    const sorted = [...all].sort((a, b) => (a.title < b.title ? 1 : a.title > b.title ? -1 : 0));
    expect(r.stdout).toBe(sorted.map((p) => `${JSON.stringify(p)}\n`).join(''));
    const limited = runCli(['parse', 'big.txt', '-f', 'jsonl', '--sort', 'readers', '--limit', '5', '--dedupe'], { cwd: dir });
    const firstOfEach = all.filter((p, i) => all.findIndex((q) => q.title === p.title && q.date === p.date) === i);
    expect(limited.stdout).toBe(
      [...firstOfEach]
        .sort((a, b) => (a.readers ?? -1) - (b.readers ?? -1))
        .slice(0, 5)
        .map((p) => `${JSON.stringify(p)}\n`)
        .join(''),
    );
  });
});

describe('parse: bad selection values are usage errors (exit 2, one line, nothing on stdout)', () => {
  const cases: [string, string][] = [
    ['--since 2021-13-01', 'postdump: error: --since expects a real date as YYYY-MM-DD, not "2021-13-01"'],
    ['--until 2021-02-30', 'postdump: error: --until expects a real date as YYYY-MM-DD, not "2021-02-30"'],
    ['--since 2022-01-01 --until 2021-01-01', 'postdump: error: --since 2022-01-01 is after --until 2021-01-01: no post could match'],
    ['--limit -1', 'postdump: error: --limit expects a whole number (0 or more), not "-1"'],
    ['--min-readers lots', 'postdump: error: --min-readers expects a whole number (0 or more), not "lots"'],
    [
      '--fields title,nope',
      'postdump: error: --fields: unknown field "nope"; the fields are title, author, date, readers, excerpt, url, id, source, line, series, part, categories, tags',
    ],
    ['--fields title,title', 'postdump: error: --fields: "title" is named twice'],
    ['--sort size', "postdump: error: option '--sort <key>' argument 'size' is invalid. Allowed choices are date, readers, title."],
    ['--reverse', 'postdump: error: --reverse applies to --sort; add --sort date|readers|title'],
    ["--grep ''", 'postdump: error: --grep expects a non-empty text'],
    ["--author ' '", 'postdump: error: --author expects a non-empty text'],
  ];

  it('every case, in one shell', () => {
    const dir = tempDir();
    symlinkSync(join(repoRoot, 'fixtures'), join(dir, 'fixtures'));
    expect(
      outcomes(
        cases.map(([flags]) => `parse ${SOURCE} ${flags}`),
        dir,
      ),
    ).toEqual(cases.map(([, message]) => `2 0 ${message}`));
  });
});
