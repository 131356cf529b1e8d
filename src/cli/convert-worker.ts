/**
 * A convert worker thread: runs the tasks the pool sends, one at a time, through the same pipeline as
 * the main thread, and posts back what each tells (see `performTask`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FileIdentity } from '../pipeline.js';
import type { RawPost } from '../record.js';
import { performTask, type Task } from './convert-tasks.js';
import type { FromWorker } from './convert-pool.js';

const port = parentPort;
if (port === null) throw new Error('convert-worker runs as a worker thread');
// Every input of the batch, which no output may overwrite: sent once, not with each task.
const protect = (workerData as { protect: FileIdentity[] }).protect;

// Tasks run one after the other, in the order they came.
let queue = Promise.resolve();
port.on('message', (message: { index: number; task: Task }) => {
  queue = queue.then(() => work(message.index, message.task));
});

async function work(index: number, task: Task): Promise<void> {
  const send = (reply: FromWorker, transfer: ArrayBuffer[] = []): void => port?.postMessage(reply, transfer);
  try {
    const withProtect: Task = task.kind === 'convert' ? { ...task, options: { ...task.options, protect } } : task;
    for await (const message of performTask(withProtect)) {
      if (message.type !== 'posts') {
        send({ index, message });
        continue;
      }
      // The batch is borrowed: its excerpts are copied into one buffer, which moves to the main thread without another copy.
      const { posts, buffer } = packPosts(message.posts);
      send({ index, message: { type: 'posts', posts } }, [buffer]);
    }
  } catch (e) {
    send({ index, crash: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
}

function packPosts(posts: readonly RawPost[]): { posts: RawPost[]; buffer: ArrayBuffer } {
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
