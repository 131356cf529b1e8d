/**
 * The shape of a run (issue 15): every diagnostic is counted once, by the summary it is reported
 * to (convert's workers' too); a failure of one input ends that input and the run goes on, a
 * failure of the run ends it; a run without a post ends its consumer with `abort`, not `finish`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PostdumpError } from '../src/errors.js';
import type { InputFile } from '../src/input/expand.js';
import { run, Summary, type Consumer } from '../src/pipeline.js';
import { SELECT_ALL } from '../src/select.js';
import type { Diagnostic } from '../src/types.js';
import { runCli } from './helpers/cli.js';
import { temporaryFolders } from './helpers/workspace.js';

const tempDir = temporaryFolders('run-flow');

/** A dump of one post whose second header is broken (a 30 February): one warning. */
const dump = (title: string): string => `${title}\nBy 苏剑林 | 2021-01-22 | 100位读者 | 引用正文。\nBy 苏剑林 | 2021-02-30 | 100位读者\n`;

function inputs(dir: string, files: Record<string, string | null>): InputFile[] {
  return Object.entries(files).map(([name, text]) => {
    const path = join(dir, name);
    if (text !== null) writeFileSync(path, text);
    return { path, source: name, relative: name, found: false };
  });
}

/** A consumer that keeps the titles it is given and how it was ended. */
function recorder(): Consumer & { titles: string[]; ended: 'finish' | 'abort' | null } {
  const consumer = {
    titles: [] as string[],
    ended: null as 'finish' | 'abort' | null,
    write(posts: Parameters<Consumer['write']>[0]) {
      for (const post of posts) consumer.titles.push(post.title);
    },
    finish() {
      consumer.ended = 'finish';
    },
    abort() {
      consumer.ended = 'abort';
    },
  };
  return consumer;
}

function counted(): { summary: Summary; printed: Diagnostic[] } {
  const printed: Diagnostic[] = [];
  return { summary: new Summary((d) => printed.push(d), { warningsFail: false }), printed };
}

describe('run: what a failure ends, and what is counted', () => {
  it('an input that fails (scope input) is reported and counted once; the inputs after it are read', async () => {
    const dir = tempDir();
    const files = inputs(dir, { 'missing.txt': null, 'a.txt': dump('A'), 'b.txt': dump('B') });
    const { summary, printed } = counted();
    const consumer = recorder();
    await run({ inputs: files, read: {}, select: SELECT_ALL }, consumer, { stdin: Readable.from([]), summary });
    expect(consumer.titles).toEqual(['A', 'B']);
    expect(consumer.ended).toBe('finish');
    expect(printed.map((d) => `${d.source} ${d.code}`)).toEqual(['missing.txt INPUT_NOT_FOUND', 'a.txt BROKEN_HEADER', 'b.txt BROKEN_HEADER']);
    expect({ errors: summary.errors, warnings: summary.warnings, posts: summary.posts, read: summary.files.read, failed: summary.files.failed }).toEqual({
      errors: 1,
      warnings: 2,
      posts: 2,
      read: 2,
      failed: 1,
    });
    expect(summary.failed).toBe(true);
  });

  it('a failure of the whole run (scope run) ends it: thrown, nothing after it read, the consumer aborted', async () => {
    const dir = tempDir();
    const files = inputs(dir, { 'a.txt': dump('A'), 'b.txt': dump('B') });
    const { summary, printed } = counted();
    const consumer = recorder();
    // An input type the reader does not know: a usage error, which no input can be read past.
    const read = { inputType: 'nonsense' as never };
    const failure = await run({ inputs: files, read, select: SELECT_ALL }, consumer, { stdin: Readable.from([]), summary }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PostdumpError);
    expect((failure as PostdumpError).scope).toBe('run');
    expect((failure as PostdumpError).diagnostic.code).toBe('USAGE');
    expect(consumer.titles).toEqual([]);
    expect(consumer.ended).toBe('abort');
    expect(printed).toEqual([]);
  });

  it('no post at all: the consumer is aborted, not finished; warnings count as errors only when asked', async () => {
    const dir = tempDir();
    const files = inputs(dir, { 'empty.txt': '' });
    const { summary } = counted();
    const consumer = recorder();
    await run({ inputs: files, read: {}, select: SELECT_ALL }, consumer, { stdin: Readable.from([]), summary });
    expect(consumer.ended).toBe('abort');
    expect(summary.errors).toBe(1);

    const strict = new Summary(() => {}, { warningsFail: true });
    const lenient = new Summary(() => {}, { warningsFail: false });
    const one = inputs(dir, { 'a.txt': dump('A') });
    for (const summary of [strict, lenient]) await run({ inputs: one, read: {}, select: SELECT_ALL }, recorder(), { stdin: Readable.from([]), summary });
    expect([strict.warnings, strict.failed, lenient.warnings, lenient.failed]).toEqual([1, true, 1, false]);
  });
});

describe("convert's workers: their findings reach the run's one counter, once each", () => {
  const setUp = (): string => {
    const dir = tempDir();
    for (let i = 0; i < 6; i++) writeFileSync(join(dir, `d${i}.txt`), dump(`Post ${i}`));
    // Binary: an error of that input, found by whichever thread reads it.
    writeFileSync(join(dir, 'bad.txt'), Buffer.from([0x00, 0x01, 0x02, 0x00]));
    return dir;
  };

  it.each([
    ['--out-dir', ['--out-dir', 'out']],
    ['--merge', ['--merge', 'all.jsonl']],
  ])('convert %s --jobs 2: 6 warnings and 1 error printed, and the summary counts 6 and 1', (_, output) => {
    const dir = setUp();
    const names = [...Array.from({ length: 6 }, (_, i) => `d${i}.txt`), 'bad.txt'];
    const r = runCli(['convert', ...names, ...output, '--jobs', '2', '--no-progress'], { cwd: dir });
    expect(r.status).toBe(1);
    const lines = r.stderr.split('\n');
    expect(lines.filter((l) => l.startsWith('postdump: warning: ')).length).toBe(6);
    expect(lines.filter((l) => l.startsWith('postdump: error: ')).length).toBe(1);
    expect(r.stderr).toMatch(/7 files, 6 posts, 6 warnings, 1 error, /);
  });
});
