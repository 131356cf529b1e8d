import { Worker } from 'node:worker_threads';
import type { FileIdentity } from '../pipeline.js';
import type { Task, TaskMessage } from './convert-tasks.js';

/** What a worker posts: a task's message, or the stack of an unexpected failure. */
export type FromWorker = { index: number; message: TaskMessage } | { index: number; crash: string };

export interface PoolOptions {
  /** Worker threads to start (at most one per task). */
  jobs: number;
  /** How many tasks may run ahead of the one being consumed (bounds what waits in memory). */
  ahead: number;
  /** Inputs no output may overwrite, handed to each worker once. */
  protect: readonly FileIdentity[];
  /** Told when a task is handed to a worker. */
  onStarted?: (index: number) => void;
  /** Told when any task finishes, in whatever order they finish (progress). */
  onFinished?: (index: number) => void;
}

/**
 * Runs tasks on worker threads and yields their messages in input order: every message of task 0,
 * then of task 1, ..., whatever order the workers finish in, so that the output and the diagnostics
 * of `--jobs N` are those of `--jobs 1`. The workers end with the generator, however it ends.
 */
export async function* runOnWorkers(tasks: readonly Task[], options: PoolOptions): AsyncGenerator<TaskMessage> {
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
  // A worker holds up to two tasks: it starts the second as soon as the first is done, without
  // waiting for this thread to hear of it and send another (measured: otherwise a fifth of its time idle).
  const free: Worker[] = [];
  const dispatch = (): void => {
    while (free.length > 0 && next < tasks.length && next <= current + options.ahead) {
      const index = next++;
      options.onStarted?.(index);
      (free.shift() as Worker).postMessage({ index, task: tasks[index] });
    }
  };

  const workers = Array.from({ length: Math.max(1, Math.min(options.jobs, tasks.length)) }, () => {
    const worker = new Worker(new URL('./convert-worker.js', import.meta.url), { workerData: { protect: options.protect } });
    worker.on('message', (reply: FromWorker) => {
      if ('crash' in reply) {
        failure ??= new Error(`convert worker failed on task ${reply.index}: ${reply.crash}`);
      } else {
        queues[reply.index]?.push(reply.message);
        if (reply.message.type === 'done') {
          finished[reply.index] = true;
          options.onFinished?.(reply.index);
          free.push(worker);
          dispatch();
        }
      }
      notify();
    });
    worker.on('error', (e) => {
      failure ??= e;
      notify();
    });
    // A worker that ends before it is told to would leave its task waiting for ever.
    worker.on('exit', (code) => {
      if (!closing) failure ??= new Error(`convert worker exited (status ${code}) with work left`);
      notify();
    });
    return worker;
  });
  // Each worker's first slot, then each one's second, so that the first tasks spread over all workers.
  for (let slot = 0; slot < 2; slot++) for (const worker of workers) free.push(worker);

  try {
    dispatch();
    while (current < tasks.length) {
      const queue = queues[current] as TaskMessage[];
      while (queue.length > 0) yield queue.shift() as TaskMessage;
      if (failure !== null) throw failure;
      if (finished[current]) {
        queues[current] = [];
        current++;
        dispatch();
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
