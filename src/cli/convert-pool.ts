import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { FileIdentity } from '../pipeline.js';
import { packPosts, performTask, type Task, type TaskMessage } from './convert-tasks.js';

/** Tasks sent to a worker in one message. */
export type Batch = Array<{ index: number; task: Task }>;
/** What a worker posts: a task's message, or the stack of an unexpected failure. */
export type FromWorker = { index: number; message: TaskMessage } | { index: number; crash: string };
/** The messages a worker posts at once; `free` when its batch is done. */
export interface Replies {
  replies: FromWorker[];
  free: boolean;
}

export interface PoolOptions {
  /** Threads to run on, this one included: at most one per task. */
  jobs: number;
  /** Whether `jobs` is the default, which a small batch lowers (see `threadsFor`), or what the user asked for. */
  byDefault: boolean;
  /** Inputs no output may overwrite, handed to each worker once. */
  protect: readonly FileIdentity[];
  /** Told when a task starts, on any thread. */
  onStarted?: (index: number) => void;
  /** Told when any task finishes, in whatever order they finish (progress). */
  onFinished?: (index: number) => void;
}

// A worker costs about 0.4 s of CPU to start and to warm up its own copy of the parsers, what one
// thread takes for 200 listing pages (measured: 50 pages took 0.45 s more CPU with --jobs 2, and 300
// pages no less wall time): the default starts one only for this many inputs a thread.
const TASKS_PER_WORKER = 256;
// Tasks per message to a worker: few messages, yet small enough that the threads end together.
const MAX_BATCH = 16;
// Posts parsed ahead of their turn (`--merge`: the tasks before theirs are not done) wait in memory:
// no task starts while they hold this much. Below it, every thread starts tasks whenever it would
// wait (measured: at most four tasks ahead, as before, left this thread idle 89% of a `--merge` of
// 2,000 pages, which a worker parsed nearly alone).
const MAX_WAITING_BYTES = 16 * 1024 * 1024;
/** What a post costs in memory beside its excerpt's bytes: its strings and object (an estimate). */
const POST_BYTES = 256;

/**
 * The worker's code: beside the CLI's bundle (dist/cli/postdump.cjs), the worker's own bundle,
 * which starts in about half the CPU of its modules (see scripts/build-cli.mjs); beside the
 * compiled modules (dist/cli/convert-pool.js, run as they are), those. Segmented parses
 * (`segment-pool.ts`) start the same worker, told so by its `workerData`.
 */
export const WORKER = new URL(import.meta.url.endsWith('.cjs') ? './convert-worker.cjs' : './convert-worker.js', import.meta.url);

/** How many threads (this one included) `tasks` tasks are worth, at most `jobs`. */
function threadsFor(tasks: number, jobs: number): number {
  return Math.max(1, Math.min(jobs, 1 + Math.floor(tasks / TASKS_PER_WORKER)));
}

/**
 * Runs tasks on this thread and on worker threads, and yields their messages in input order: every
 * message of task 0, then of task 1, ..., whatever order they finish in, so that the output and the
 * diagnostics of `--jobs N` are those of `--jobs 1`. Workers take tasks in batches; this thread takes
 * one at a time whenever it would otherwise wait (and keeps what it cannot pass on at once, packed).
 * The workers end with the generator, however it ends.
 */
export async function* runTasks(tasks: readonly Task[], options: PoolOptions): AsyncGenerator<TaskMessage> {
  const threads = options.byDefault ? threadsFor(tasks.length, options.jobs) : Math.max(1, Math.min(options.jobs, tasks.length));
  const batchSize = Math.max(1, Math.min(MAX_BATCH, Math.floor(tasks.length / (8 * threads))));
  const queues: TaskMessage[][] = tasks.map(() => []);
  const finished: boolean[] = tasks.map(() => false);
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    wake?.();
    wake = null;
  };
  let next = 0;
  let current = 0;
  let closing = false;
  /** Bytes of the posts in `queues`. */
  let waiting = 0;
  const wait = (index: number, message: TaskMessage): void => {
    waiting += weightOf(message);
    queues[index]?.push(message);
  };
  const mayStart = (): boolean => next < tasks.length && waiting < MAX_WAITING_BYTES;
  const started = (index: number): void => options.onStarted?.(index);
  const done = (index: number): void => {
    finished[index] = true;
    options.onFinished?.(index);
  };
  // A worker holds up to two batches: it starts the second as soon as the first is done, without
  // waiting for this thread to hear of it and send another (measured: otherwise a fifth of its time
  // idle). The second slots open once this thread has taken its first task, so that a batch of a
  // few large inputs is spread over every thread.
  const free: Worker[] = [];
  let secondSlots = false;
  const dispatch = (): void => {
    while (free.length > 0 && mayStart()) {
      const from = next;
      next = Math.min(tasks.length, next + batchSize);
      const batch: Batch = tasks.slice(from, next).map((task, k) => ({ index: from + k, task }));
      for (const { index } of batch) started(index);
      (free.shift() as Worker).postMessage(batch);
    }
  };

  const workers = Array.from({ length: threads - 1 }, () => {
    const worker = new Worker(WORKER, { workerData: { protect: options.protect } });
    worker.on('message', ({ replies, free: batchDone }: Replies) => {
      for (const reply of replies) {
        if ('crash' in reply) {
          failure ??= new Error(`convert worker failed on task ${reply.index}: ${reply.crash}`);
          continue;
        }
        wait(reply.index, reply.message);
        if (reply.message.type === 'done') done(reply.index);
      }
      if (batchDone) {
        free.push(worker);
        dispatch();
      }
      notify();
    });
    worker.on('error', (e) => {
      failure ??= e;
      notify();
    });
    // A worker that ends before it is told to would leave its tasks waiting for ever.
    worker.on('exit', (code) => {
      if (!closing) failure ??= new Error(`convert worker exited (status ${code}) with work left`);
      notify();
    });
    return worker;
  });
  for (const worker of workers) free.push(worker);

  /** Runs task `index` here: its messages go straight out when it is the one being consumed, else wait in its queue. */
  async function* here(index: number): AsyncGenerator<TaskMessage> {
    started(index);
    for await (const message of performTask(tasks[index] as Task, options.protect)) {
      if (index === current) yield message;
      else wait(index, message.type === 'posts' ? { type: 'posts', posts: packPosts(message.posts).posts } : message);
    }
    done(index);
  }

  try {
    dispatch();
    while (current < tasks.length) {
      const queue = queues[current] as TaskMessage[];
      while (queue.length > 0) {
        const message = queue.shift() as TaskMessage;
        waiting -= weightOf(message);
        yield message;
      }
      if (failure !== null) throw failure;
      if (finished[current]) {
        queues[current] = [];
        current++;
        dispatch();
        continue;
      }
      if (mayStart()) {
        const index = next++;
        if (!secondSlots) {
          secondSlots = true;
          for (const worker of workers) free.push(worker);
          dispatch();
        }
        yield* here(index);
        // Lets the workers' messages in, so that a worker that is done gets its next batch at once.
        if (workers.length > 0) await nextTurn();
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    closing = true;
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** What a message holds in memory while it waits for its turn: its posts (the rest is small). */
function weightOf(message: TaskMessage): number {
  if (message.type !== 'posts') return 0;
  let bytes = 0;
  for (const post of message.posts) bytes += POST_BYTES + post.excerptUtf8.byteLength;
  return bytes;
}
