import { dirname } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { PostdumpError } from '../errors.js';
import { makeFolder } from '../output/folder.js';
import { countFinding, emptySummary, readPosts, run, type IO, type Options, type Summary } from '../pipeline.js';
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

/** What a task tells as it runs; `done` comes last. */
export type TaskMessage = { type: 'posts'; posts: RawPost[] } | { type: 'diagnostic'; diagnostic: Diagnostic } | { type: 'done'; summary: Summary };

// Workers have no standard streams of their own to offer: convert's outputs are files, its inputs named.
const NO_STDIN = (): Readable => Readable.from([]);
const NO_STDOUT = (): Writable =>
  new Writable({
    write(_chunk, _encoding, callback) {
      callback(new Error('convert writes files, not standard output'));
    },
  });

/** Output folders this thread has made (or found) already. */
const made = new Set<string>();

/**
 * Runs one task, telling what happens as messages. A failure about the input or its output (missing,
 * unreadable, an existing output without --force) is a diagnostic like any other; anything else throws.
 * A `posts` batch is borrowed until the next message is asked for.
 */
export async function* performTask(task: Task): AsyncGenerator<TaskMessage> {
  const diagnostics: Diagnostic[] = [];
  const io: IO = { stdin: NO_STDIN(), stdout: NO_STDOUT(), report: (d) => diagnostics.push(d) };
  let summary = emptySummary();
  try {
    if (task.kind === 'convert') {
      if (task.options.output !== null) {
        const folder = dirname(task.options.output);
        // Once per folder and thread: thousands of outputs share a few folders.
        if (!made.has(folder)) await makeFolder(folder);
        made.add(folder);
      }
      summary = await run(task.options, io);
    } else {
      for await (const posts of readPosts([task.input], task.read, io, summary)) {
        yield* diagnostics.splice(0).map((diagnostic) => ({ type: 'diagnostic' as const, diagnostic }));
        yield { type: 'posts', posts };
      }
    }
  } catch (e) {
    if (!(e instanceof PostdumpError)) throw e;
    countFinding(summary, e.diagnostic);
    diagnostics.push(e.diagnostic);
  }
  // An input whose task failed before it was read (its output exists, say) counts as failed.
  if (inputCount(summary.files) === 0) summary.files.failed++;
  yield* diagnostics.map((diagnostic) => ({ type: 'diagnostic' as const, diagnostic }));
  yield { type: 'done', summary };
}
