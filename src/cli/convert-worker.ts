/**
 * A convert worker thread: runs the batches of tasks the pool sends, one task after the other, through
 * the same pipeline as the main thread, and posts back what each tells (see `performTask`), a batch's
 * messages together: one message per batch, not per file, unless posts must go on at once.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FileIdentity } from '../pipeline.js';
import { packPosts, performTask } from './convert-tasks.js';
import type { Batch, FromWorker, Replies } from './convert-pool.js';
import type { SegmentJob } from '../segments.js';
import { serveSegments } from './segment-worker.js';

const port = parentPort;
if (port === null) throw new Error('convert-worker runs as a worker thread');
const data = workerData as { protect: FileIdentity[] } | { segments: SegmentJob };
// Every input of the batch, which no output may overwrite: sent once, not with each task.
const protect = 'protect' in data ? data.protect : [];

// Batches run one after the other, in the order they came.
let queue = Promise.resolve();
if ('segments' in data) serveSegments(port, data.segments);
else
  port.on('message', (batch: Batch) => {
    queue = queue.then(() => work(batch));
  });

async function work(batch: Batch): Promise<void> {
  const replies: FromWorker[] = [];
  const transfer: ArrayBuffer[] = [];
  const send = (free: boolean): void => port?.postMessage({ replies: replies.splice(0), free } satisfies Replies, transfer.splice(0));
  for (const { index, task } of batch) {
    try {
      for await (const message of performTask(task, protect)) {
        if (message.type !== 'posts') {
          replies.push({ index, message });
          continue;
        }
        // The batch is borrowed: it is packed and moved. Posts go at once: an input as large as a
        // dump must not pile up here.
        const { posts, buffer } = packPosts(message.posts);
        replies.push({ index, message: { type: 'posts', posts } });
        transfer.push(buffer);
        send(false);
      }
    } catch (e) {
      replies.push({ index, crash: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      break;
    }
  }
  send(true);
}
