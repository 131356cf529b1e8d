import { dirname } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { PostdumpError } from '../errors.js';
import { makeFolder } from '../output/folder.js';
import { readPosts, recordWriter, run, Summary, type FileIdentity, type InputCounts, type IO, type Options } from '../pipeline.js';
import type { BorrowedBatch } from '../borrowed.js';
import type { RawPost } from '../record.js';
import type { InputFile } from '../input/expand.js';
import { inputCount } from '../input/file-tally.js';
import type { ReadOptions } from '../input/read-by-kind.js';
import type { Diagnostic } from '../types.js';

/**
 * What convert does with one input, in a worker thread or in the main one: `convert` runs the whole
 * pipeline into the input's own output file; `read` parses it for `--merge`, whose one output is
 * written by the main thread.
 */
export type Task = { kind: 'convert'; options: Options } | { kind: 'read'; input: InputFile; read: ReadOptions };

/**
 * What a task tells as it runs: the run's summary counts its diagnostics as they come; `done` comes
 * last, with what else the input counted (posts, whether it was read).
 */
export type TaskMessage = { type: 'posts'; posts: BorrowedBatch } | { type: 'diagnostic'; diagnostic: Diagnostic } | { type: 'done'; counts: InputCounts };

// Workers have no standard streams of their own to offer: convert's outputs are files, its inputs
// named. One of each a thread, made when its first task starts, not one a task (16 µs a file).
let noStdin: Readable | undefined;
let noStdout: Writable | undefined;
const NO_STDIN = (): Readable => (noStdin ??= Readable.from([]));
const NO_STDOUT = (): Writable =>
  (noStdout ??= new Writable({
    write(_chunk, _encoding, callback) {
      callback(new Error('convert writes files, not standard output'));
    },
  }));

/** Output folders this thread has made (or found) already. */
const made = new Set<string>();

/**
 * Runs one task, telling what happens as messages; no output may overwrite one of `protect` (every
 * input of the batch). A failure about the input or its output (missing, unreadable, an existing
 * output without --force) is a diagnostic like any other; anything else throws. A `posts` batch is
 * borrowed until the next message is asked for.
 */
export async function* performTask(task: Task, protect: readonly FileIdentity[]): AsyncGenerator<TaskMessage> {
  const diagnostics: Diagnostic[] = [];
  // This input's own count, which decides whether its output is put in place; the run's summary
  // counts the same diagnostics once, as they reach it.
  const summary = new Summary((d) => diagnostics.push(d), { warningsFail: task.kind === 'convert' && task.options.strict });
  const io: IO = { stdin: NO_STDIN(), summary };
  try {
    if (task.kind === 'convert') {
      if (task.options.output !== null) {
        const folder = dirname(task.options.output);
        // Once per folder and thread: thousands of outputs share a few folders.
        if (!made.has(folder)) await makeFolder(folder);
        made.add(folder);
      }
      const options = { ...task.options, protect };
      await run(options, await recordWriter(options, NO_STDOUT()), io);
    } else {
      for await (const posts of readPosts([task.input], task.read, io)) {
        yield* diagnostics.splice(0).map((diagnostic) => ({ type: 'diagnostic' as const, diagnostic }));
        yield { type: 'posts', posts };
      }
    }
  } catch (e) {
    if (!(e instanceof PostdumpError)) throw e;
    summary.report(e.diagnostic);
  }
  // An input whose task failed before it was read (its output exists, say) counts as failed.
  if (inputCount(summary.files) === 0) summary.files.failed++;
  yield* diagnostics.map((diagnostic) => ({ type: 'diagnostic' as const, diagnostic }));
  yield { type: 'done', counts: summary.counts() };
}

/**
 * A `posts` batch made to keep: its excerpts, which the parser lends, copied into one buffer (which
 * a worker moves to the main thread without another copy).
 */
export function packPosts(posts: BorrowedBatch): { posts: RawPost[]; buffer: ArrayBuffer } {
  const size = posts.reduce((n, p) => n + p.excerptUtf8.byteLength, 0);
  const bytes = new Uint8Array(new ArrayBuffer(size));
  let offset = 0;
  const packed = posts.map((post) => {
    bytes.set(post.excerptUtf8, offset);
    const excerptUtf8 = bytes.subarray(offset, offset + post.excerptUtf8.byteLength);
    offset += post.excerptUtf8.byteLength;
    return { ...post, excerptUtf8 };
  });
  return { posts: packed, buffer: bytes.buffer as ArrayBuffer };
}
