/**
 * A segment worker's side (see `segment-pool.ts`): in convert's worker thread, started for a
 * segmented parse. Runs each order as it comes and posts its result, the output's bytes in shared memory.
 */
import type { MessagePort } from 'node:worker_threads';
import { PostdumpError } from '../errors.js';
import { type SegmentJob, SegmentThread } from '../segments.js';
import type { SegmentOrder, SegmentReply } from './segment-pool.js';

export function serveSegments(port: MessagePort, job: SegmentJob): void {
  let thread: SegmentThread;
  try {
    thread = new SegmentThread(job);
  } catch (e) {
    port.postMessage(failed(e));
    return;
  }
  port.on('message', (order: SegmentOrder) => {
    if ('written' in order) {
      thread.output.give(order.written);
      return;
    }
    if ('drop' in order) {
      thread.drop(order.drop);
      return;
    }
    let reply: SegmentReply;
    try {
      reply = { result: thread.run(order.index, order.fresh, order.chain) };
    } catch (e) {
      reply = failed(e);
    }
    // Nothing is moved (see `OutputMemory`): the output's shared memory is shared, the rest copied.
    port.postMessage(reply);
  });
  port.postMessage({ ready: true } satisfies SegmentReply);
}

function failed(e: unknown): SegmentReply {
  return e instanceof PostdumpError ? { failure: e.diagnostic } : { crash: e instanceof Error ? (e.stack ?? e.message) : String(e) };
}
