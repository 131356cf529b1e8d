/**
 * A big text dump parsed in segments on threads (issue 17) gives what one thread gives: the same
 * output bytes, findings (words, lines, order) and counts, wherever the cuts land. The segments run
 * here on this thread, some of them ahead of their turn (`SegmentOptions.local`), cut a few hundred
 * bytes apart; the CLI's run on a worker thread is tested end to end below.
 */
import { Buffer } from 'node:buffer';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { FORMATS } from '../src/format/index.js';
import { repoRoot, runCli, runShell, seedPath, shellQuote, startCli } from './helpers/cli.js';
import { bothRuns, type SegmentCase } from './helpers/segments.js';
import { temporaryFolders } from './helpers/workspace.js';

const tempDir = temporaryFolders('segments');

const FIXTURES = join(repoRoot, 'fixtures');
const variantLines = readdirSync(join(FIXTURES, 'variants'))
  .filter((name) => name.endsWith('.txt'))
  .map((name) =>
    readFileSync(join(FIXTURES, 'variants', name), 'utf8')
      .replace(/^\uFEFF/, '')
      .split(/\r\n|\r|\n/),
  );
const seedLines = readFileSync(seedPath, 'utf8')
  .split('\n')
  .filter((line) => line !== '');

/** The lines of one stretch of a dump, the shapes that matter at a cut among them. */
const header = (date: string, readers: number, rest: string): string => `By 苏剑林 | ${date} | ${readers}位读者 | 引用${rest}`;
const text = fc.constantFrom('正文的一段。', '$\\mathcal{O}(n^2)$ 与 <eos>', '解码算法', '"quoted" \\ back\tslash', 'x'.repeat(300), '');
const post = fc
  .tuple(
    fc.constantFrom('标题甲', '标题乙', 'Seq2Seq重复解码', '【搜出来的文本】⋅(三)'),
    fc.integer({ min: 0, max: 2 }),
    fc.integer({ min: 1, max: 999999 }),
    fc.array(text, { maxLength: 4 }),
  )
  .map(([title, blanks, readers, body]) => [title, ...Array<string>(blanks).fill(''), header('2021-01-22', readers, body[0] ?? ''), ...body.slice(1)]);
const block = fc.oneof(
  { weight: 6, arbitrary: post },
  // A menu item: a short post whose header the next post repeats.
  { weight: 1, arbitrary: fc.constant(['菜单项', header('2020-05-05', 42, '短'), '真正的文章', header('2020-05-05', 42, '正文开始。'), '第二段。']) },
  { weight: 1, arbitrary: fc.constant(['最近评论', '苏剑林: 谢谢', '随机文章', '某篇文章', header('2019-01-01', 7, ''), '热门标签', '« 1 2 3 »']) },
  {
    weight: 1,
    arbitrary: fc.constant([
      '转载到请包括本文地址：https://spaces.ac.cn/archives/8196',
      '更详细的转载事宜请参考：《科学空间FAQ》',
      '3 条评论',
      '读者甲',
      '2021-01-23 10:00',
      '写得好',
      header('2021-01-22', 5, '读者贴的'),
    ]),
  },
  {
    weight: 1,
    arbitrary: fc.constant(['本文阅读时间约 6 分钟', '阅读全文 »', 'By 苏剑林 | 2021-13-45 | 100位读者 | 引用坏日期', header('2021-02-30', 3, '')]),
  },
  { weight: 1, arbitrary: fc.constantFrom(...variantLines) },
  { weight: 1, arbitrary: fc.constant(['y'.repeat(3000)]) },
);
/** A line end: LF mostly, CRLF, now and then a lone CR. */
const eol = fc.constantFrom('\n', '\n', '\n', '\r\n', '\r');

/**
 * A dump: the seed's posts (past the first 64 KiB, which one thread reads in one go and which must
 * hold no error), then generated stretches repeated; maybe a BOM, a last line without LF, a byte
 * that is not UTF-8.
 */
const dump = fc
  .record({
    blocks: fc.array(block, { minLength: 1, maxLength: 12 }),
    eols: fc.array(eol, { minLength: 1, maxLength: 7 }),
    repeat: fc.integer({ min: 1, max: 30 }),
    bom: fc.boolean(),
    lastLF: fc.boolean(),
    badByte: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { freq: 4 }),
  })
  .map(({ blocks, eols, repeat, bom, lastLF, badByte }) => {
    const lines: string[] = [];
    while (Buffer.byteLength(lines.join('\n')) < 70 * 1024) lines.push(...seedLines);
    for (let i = 0; i < repeat; i++) for (const b of blocks) lines.push(...b);
    let out = bom ? '\uFEFF' : '';
    lines.forEach((line, i) => {
      out += line;
      if (i < lines.length - 1 || lastLF) out += eols[i % eols.length];
    });
    const bytes = Buffer.from(out, 'utf8');
    if (badByte === null) return bytes;
    const at = 80 * 1024 + (badByte % Math.max(1, bytes.length - 80 * 1024));
    return at < bytes.length ? Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff]), bytes.subarray(at)]) : bytes;
  });

const cases = fc
  .record({
    format: fc.constantFrom(...FORMATS),
    chunkBytes: fc.integer({ min: 200, max: 4000 }),
    chunks: fc.integer({ min: 1, max: 3 }),
    maxLineBytes: fc.option(fc.constantFrom(2500, 4000), { freq: 3 }),
    since: fc.option(fc.constant('2021-01-01'), { freq: 4 }),
    local: fc.integer({ min: 1, max: 3 }),
  })
  .map(
    ({ format, chunkBytes, chunks, maxLineBytes, since, local }): SegmentCase => ({
      format,
      chunkBytes,
      segmentBytes: chunkBytes * chunks,
      ...(maxLineBytes === null ? {} : { maxLineBytes }),
      ...(since === null ? {} : { select: { since } }),
      local,
    }),
  );

describe('a dump parsed in segments', () => {
  it('gives the output, findings and counts of one thread, wherever the cuts land (generated dumps)', async () => {
    const dir = tempDir();
    let segmented = 0;
    let fresh = 0;
    await fc.assert(
      fc.asyncProperty(dump, cases, async (bytes, c) => {
        const path = join(dir, 'dump.txt');
        writeFileSync(path, bytes);
        const { one, segmented: seg, run } = await bothRuns(path, c);
        expect(seg.diagnostics).toEqual(one.diagnostics);
        expect(seg.counts).toEqual(one.counts);
        expect(seg.output.equals(one.output)).toBe(true);
        if (run !== null) {
          segmented++;
          fresh += run.fresh;
        }
      }),
      { numRuns: 60 },
    );
    // Not vacuous: most runs were segmented, and most of their segments started fresh.
    expect(segmented).toBeGreaterThan(30);
    expect(fresh).toBeGreaterThan(300);
  }, 120_000);

  it('gives what one thread gives on every text fixture, cut every few hundred bytes', async () => {
    const files = textFixtures(FIXTURES);
    expect(files.length).toBeGreaterThan(40);
    let fresh = 0;
    for (const path of files) {
      for (let chunkBytes = 64; chunkBytes <= 1024; chunkBytes += 37) {
        const format = FORMATS[chunkBytes % FORMATS.length] as (typeof FORMATS)[number];
        const { one, segmented, run } = await bothRuns(path, { format, chunkBytes, segmentBytes: chunkBytes });
        const where = `${relative(FIXTURES, path)}, ${chunkBytes}-byte segments, ${format}`;
        expect(segmented.diagnostics, where).toEqual(one.diagnostics);
        expect(segmented.counts, where).toEqual(one.counts);
        expect(segmented.output.equals(one.output), where).toBe(true);
        fresh += run?.fresh ?? 0;
      }
    }
    expect(fresh).toBeGreaterThan(1000);
  }, 120_000);

  it('a segmented run that an error ends writes what one thread writes before it', async () => {
    const dir = tempDir();
    const path = join(dir, 'dump.txt');
    const lines: string[] = [];
    while (lines.join('\n').length < 120 * 1024) lines.push(...seedLines);
    const at = Math.floor(lines.length * 0.8);
    for (const [maxLineBytes, bad] of [
      [undefined, Buffer.from([0xff])],
      [4000, Buffer.from('z'.repeat(5000))],
    ] as const) {
      writeFileSync(path, Buffer.concat([Buffer.from(`${lines.slice(0, at).join('\n')}\n`), bad, Buffer.from(`\n${lines.slice(at).join('\n')}\n`)]));
      for (const chunkBytes of [2000, 3000, 7000]) {
        const { one, segmented, run } = await bothRuns(path, {
          format: 'json',
          chunkBytes,
          segmentBytes: chunkBytes,
          ...(maxLineBytes === undefined ? {} : { maxLineBytes }),
        });
        expect(run?.fresh).toBeGreaterThan(5);
        expect(one.counts.errors).toBe(1);
        expect(segmented.diagnostics).toEqual(one.diagnostics);
        expect(segmented.counts).toEqual(one.counts);
        expect(segmented.output.equals(one.output)).toBe(true);
      }
    }
  });

  it('stays on one thread for what it does not segment: a sort, a limit, stdin, several inputs, a small file', async () => {
    const { run: sorted } = await bothRuns(seedPath, { format: 'jsonl', chunkBytes: 1000, segmentBytes: 1000, select: { sort: 'readers' } });
    const { run: limited } = await bothRuns(seedPath, { format: 'jsonl', chunkBytes: 1000, segmentBytes: 1000, select: { limit: 2 } });
    const { run: cut } = await bothRuns(seedPath, { format: 'jsonl', chunkBytes: 1000, segmentBytes: 1000 });
    expect(sorted).toBeNull();
    expect(limited).toBeNull();
    expect(cut?.fresh).toBeGreaterThan(1);
  });
});

/** Every `.txt` below `dir` (text dumps of every layout and encoding; the ones not segmented show that they run as one thread would). */
function textFixtures(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return textFixtures(path);
    return name.endsWith('.txt') ? [path] : [];
  });
}

describe('parse --jobs on a dump larger than 64 MiB (the built CLI)', () => {
  let dir = '';
  let path = '';
  beforeAll(() => {
    dir = tempDir();
    path = join(dir, 'big.txt');
    const seed = readFileSync(seedPath);
    // A broken header and a sidebar now and then, so that findings come from every part.
    const extra = Buffer.from('By 苏剑林 | 2021-13-45 | 1位读者 | 引用坏\n最近评论\n读者: 好\n');
    const unit = Buffer.concat([seed, extra]);
    writeFileSync(path, Buffer.concat(Array<Buffer>(Math.ceil((65 * 1024 * 1024) / unit.length)).fill(unit)));
  });

  it('gives the bytes, findings and status of --jobs 1; a closed pipe ends it quietly, its worker too', () => {
    const one = runCli(['parse', path, '-f', 'jsonl', '--jobs', '1']);
    const two = runCli(['parse', path, '-f', 'jsonl', '--jobs', '2']);
    expect(two.status).toBe(one.status);
    // (On one core, --jobs 2 is lowered to 1, with a note.)
    expect(two.stderr.replace(/^postdump: note: --jobs 2 lowered.*\n/m, '')).toBe(one.stderr);
    expect(two.stdoutBytes.equals(one.stdoutBytes)).toBe(true);
    // The process ends only when its worker has.
    const closed = runShell(`set -o pipefail; postdump parse ${shellQuote(path)} -f jsonl --jobs 2 -q | head -1`);
    expect(closed.stderr).toBe('');
    expect(closed.status).toBe(0);
    expect(closed.stdout.split('\n')).toHaveLength(2);
  }, 60_000);

  it('SIGINT while it parses -o: status 130, no output, no temporary file', async () => {
    const child = startCli(['parse', path, '-o', 'out.jsonl', '--jobs', '2'], { cwd: dir });
    child.stdout?.resume();
    child.stderr?.resume();
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    // Soon after the start: the whole run takes about half a second on two free cores.
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(child.exitCode, 'the run ended before the signal').toBeNull();
    child.kill('SIGINT');
    const end = await ended;
    expect(end.signal === null ? end.code : 128 + constants.signals[end.signal]).toBe(130);
    expect(readdirSync(dir)).toEqual(['big.txt']);
  }, 60_000);
});
