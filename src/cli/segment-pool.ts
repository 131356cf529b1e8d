import { availableParallelism } from 'node:os';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { OutputClosedError, PostdumpError } from '../errors.js';
import { eventLoopTurn } from '../event-loop.js';
import type { IO, RecordWriter } from '../pipeline.js';
import { segmentCount, type SegmentJob, type SegmentResult, SegmentThread } from '../segments.js';
import type { Diagnostic } from '../types.js';
import { WORKER } from './convert-pool.js';

/**
 * What a segment worker is told: run segment `index`, fresh or going on with the engine whose run
 * began at segment `chain`; drop that engine (its results are not read); or, the output memory of
 * a result of its, written.
 */
export type SegmentOrder = SegmentRun | { drop: number } | { written: SharedArrayBuffer };
export interface SegmentRun {
  index: number;
  fresh: boolean;
  /** The segment where the run of its engine began (`index` when fresh): its results are read if that segment starts fresh. */
  chain: number;
}
/**
 * What it posts back: that it is ready for orders (once, when started); a result; an error that
 * ends the input (the file could not be read on); or the stack of an unexpected failure.
 */
export type SegmentReply = { ready: true } | { result: SegmentResult } | { failure: Diagnostic } | { crash: string };

// Segments run ahead of the one being written, at most: what waits in memory is a few segments'
// output, however slow the reader of the output. Three: the worker's two orders and this thread's
// (with two, this thread waited a third of its time; peak RSS 95 MB on the bench's dump, 98 with four).
const MAX_AHEAD = 3;
// Orders a worker holds: the next one waits in its queue, so that it need not wait for this thread
// to finish a segment of its own before it gets one (measured: with one, it waited 0.24 s beside
// 0.70 s of parsing).
const WORKER_ORDERS = 2;

export interface SegmentOptions {
  /** Threads, this one included (`--jobs`; null: one per core); at most one per core, and fewer than 2 is one thread. */
  jobs: number | null;
  /**
   * For tests, which run the sources (no worker bundle): this many runners on this thread instead of
   * workers. The orders they get at one turn run last first, as if the later ones ran ahead on
   * other threads (fresh runs whose segment the one before goes on into are thrown away).
   */
  local?: number;
}

/** How a segmented run went: its segments, and how many of them began fresh (the others were read by the engine before). */
export interface SegmentedRun {
  segments: number;
  fresh: number;
}

/**
 * `parse` of one big text dump on several threads (see `segments.ts`), the run `segmentJob` made
 * of it: returns null, having done nothing, when there is one core (it then runs on one thread as
 * always).
 * Segments are handed out in turn to whichever thread is free, this one included; their outputs are
 * written and their findings reported in input order, each segment's once the one before has
 * handed off to it (a fresh run of a segment that the one before went on into is thrown away).
 * The workers end with the run, however it ends.
 */
export async function runSegmented(job: SegmentJob, writer: RecordWriter, io: IO, segmenting: SegmentOptions): Promise<SegmentedRun | null> {
  const threads = Math.min(segmenting.jobs ?? availableParallelism(), availableParallelism());
  if (threads < 2 && segmenting.local === undefined) return null;
  const { summary } = io;
  summary.files.read++;
  const pool = new SegmentPool(job, segmenting.local ?? 1, segmenting.local === undefined ? threads - 1 : 0);
  try {
    try {
      let previous: SegmentResult | null = null;
      for await (const result of pool.results()) {
        for (const d of result.diagnostics) summary.report(d);
        summary.posts += result.posts;
        summary.selected += result.selected;
        await writer.writeFormatted(result.records);
        if (result.records.bytes.length === 0) continue;
        // One write is under way at a time: once this result's bytes are sent, the last result's are written.
        if (previous !== null) pool.written(previous);
        previous = result;
      }
    } catch (e) {
      // The input could not be read on (it shrank, say): reported, and the run ends as with any input that fails.
      if (!(e instanceof PostdumpError) || e.scope !== 'input') throw e;
      summary.report(e.diagnostic);
    }
    if (summary.posts === 0) await writer.abort();
    else await writer.finish(summary);
  } catch (e) {
    await writer.abort();
    if (!(e instanceof OutputClosedError)) throw e;
  } finally {
    await pool.close();
  }
  return { segments: segmentCount(job.size, job.segmentBytes), fresh: pool.fresh };
}

/** What runs segments: a worker, or a `SegmentThread` on this thread. */
interface Runner {
  worker: Worker | null;
  here: SegmentThread | null;
  /** Whether it takes orders (a worker, once it has started). */
  started: boolean;
  /** Its orders under way, in the order it runs them. */
  orders: SegmentRun[];
  /** Its engines that did not hand off: by the segment where their run began, the segment each goes on into. */
  owes: Map<number, number>;
}

class SegmentPool {
  private readonly segments: number;
  private readonly runners: Runner[];
  /** Who made each result, to give its output memory back to. */
  private readonly madeBy = new WeakMap<SegmentResult, Runner>();
  /** Results by segment, then by the segment their engine began at (a fresh run's own, or one it went on from). */
  private readonly byIndex = new Map<number, Map<number, SegmentResult>>();
  /** Whether segment `i` starts fresh (the one before handed off) or is read by the engine before it; unknown past `settled`. */
  private readonly startsFresh: boolean[] = [true];
  /** Results settled, in order, not yet taken. */
  private readonly ready: SegmentResult[] = [];
  private settled = 0;
  /** Results handed on to be written. */
  private taken = 0;
  /** Settled results of fresh runs, the first segment's included. */
  fresh = 0;
  /** Where the engine of the last settled result began. */
  private chain = 0;
  private nextFresh = 1;
  private over = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(job: SegmentJob, local: number, workers: number) {
    this.segments = segmentCount(job.size, job.segmentBytes);
    const here = Array.from({ length: local }, () => runner(null, new SegmentThread(job)));
    this.runners = [...here, ...Array.from({ length: workers }, () => this.startWorker(job))];
  }

  async *results(): AsyncGenerator<SegmentResult> {
    const here = this.runners.filter((r) => r.here !== null);
    const first = here[0] as Runner;
    // This thread reads the first segment while the workers start on the next ones.
    this.dispatch();
    first.orders.push({ index: 0, fresh: true, chain: 0 });
    this.handle(first, (first.here as SegmentThread).run(0, true));
    for (;;) {
      while (this.ready.length > 0) {
        this.taken++;
        yield this.ready.shift() as SegmentResult;
      }
      if (this.failure !== null) throw this.failure;
      if (this.over) return;
      this.dispatch();
      const orders = here.flatMap((r) => {
        const order = this.orderFor(r);
        return order === null ? [] : [{ r, order }];
      });
      if (orders.length > 0) {
        for (const { r, order } of orders.reverse()) {
          r.orders.push(order);
          this.handle(r, (r.here as SegmentThread).run(order.index, order.fresh, order.chain));
        }
        // Lets the workers' results in, and a signal.
        await (this.runners.length > here.length ? nextTurn() : eventLoopTurn());
        continue;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  /** A result's output is written (or not used): its memory goes back to the thread that made it. */
  written(result: SegmentResult): void {
    const memory = result.records.bytes.buffer;
    const maker = this.madeBy.get(result);
    // Output that outgrew its shared memory was copied to this thread: it is not given back.
    if (!(memory instanceof SharedArrayBuffer) || maker === undefined) return;
    if (maker.here !== null) maker.here.output.give(memory);
    else maker.worker?.postMessage({ written: memory } satisfies SegmentOrder);
  }

  async close(): Promise<void> {
    this.over = true;
    for (const r of this.runners) r.here?.close();
    await Promise.all(this.runners.map((r) => r.worker?.terminate()));
  }

  private startWorker(job: SegmentJob): Runner {
    const worker = new Worker(WORKER, { workerData: { segments: job } });
    // No orders until it has started (about 0.1 s): till then this thread takes the segments it would wait for.
    const self = { ...runner(worker, null), started: false };
    worker.on('message', (reply: SegmentReply) => {
      // It has started, or run an order.
      self.started = true;
      if ('crash' in reply) this.failure ??= new Error(`segment worker failed: ${reply.crash}`);
      else if ('failure' in reply) this.failure ??= new PostdumpError(reply.failure, 1, 'input');
      else if ('result' in reply) this.handle(self, reply.result);
      this.dispatch();
      this.notify();
    });
    worker.on('error', (e) => {
      this.failure ??= e;
      this.notify();
    });
    // A worker that ends before it is told to would leave its segment waiting for ever.
    worker.on('exit', (code) => {
      if (!this.over) this.failure ??= new Error(`segment worker exited (status ${code}) with work left`);
      this.notify();
    });
    return self;
  }

  /** Fills each started worker's queue of orders. */
  private dispatch(): void {
    for (const r of this.runners) {
      while (r.worker !== null && r.started && !this.over && r.orders.length < WORKER_ORDERS) {
        const order = this.orderFor(r);
        if (order === null) break;
        r.orders.push(order);
        r.worker.postMessage(order satisfies SegmentOrder);
      }
    }
  }

  /**
   * A runner's next order: the segment its engine goes on into, once its results are known to be
   * read (till then it waits: a fresh run would drop that engine); else the next fresh segment, if
   * not too far ahead of the output.
   */
  private orderFor(r: Runner): SegmentRun | null {
    for (const [chain, index] of r.owes) {
      if (index > this.taken + MAX_AHEAD) return null;
      const read = chain === 0 ? true : this.startsFresh[chain];
      if (read === undefined) return null;
      r.owes.delete(chain);
      if (read) return { index, fresh: false, chain };
      if (r.here !== null) r.here.drop(chain);
      else r.worker?.postMessage({ drop: chain } satisfies SegmentOrder);
    }
    if (this.nextFresh >= this.segments || this.nextFresh > this.taken + MAX_AHEAD) return null;
    const index = this.nextFresh++;
    return { index, fresh: true, chain: index };
  }

  /** A run's result: kept until its segment's turn. */
  private handle(r: Runner, result: SegmentResult): void {
    this.madeBy.set(result, r);
    const { chain } = r.orders.shift() as SegmentRun;
    const byChain = this.byIndex.get(result.index) ?? new Map<number, SegmentResult>();
    this.byIndex.set(result.index, byChain.set(chain, result));
    if (result.end === 'continues') r.owes.set(chain, result.index + 1);
    this.settle();
  }

  /** Takes the results whose turn it is, in order: each segment's from the engine that reads it. */
  private settle(): void {
    while (!this.over && this.settled < this.segments) {
      const index = this.settled;
      const chain = this.startsFresh[index] === true ? index : this.chain;
      const runs = this.byIndex.get(index);
      const result = runs?.get(chain);
      if (runs === undefined || result === undefined) return;
      this.byIndex.delete(index);
      // The other runs of the segment are not read: their memory goes back.
      for (const other of runs.values()) if (other !== result) this.written(other);
      if (result.end === 'no-start') throw new Error(`segment ${index} has no cut, yet the one before handed off to it`);
      this.ready.push(result);
      this.settled++;
      if (chain === index) this.fresh++;
      this.chain = chain;
      if (result.end === 'failed' || result.end === 'end') {
        this.over = true;
        return;
      }
      const handsOff = result.end === 'handoff';
      this.startsFresh[index + 1] = handsOff;
      // Not handed off: the next segment's fresh run is not used; nor any later one when the layout is not the plain one.
      if (!handsOff) this.nextFresh = result.oneThread ? this.segments : Math.max(this.nextFresh, index + 2);
    }
  }

  private notify(): void {
    this.wake?.();
    this.wake = null;
  }
}

function runner(worker: Worker | null, here: SegmentThread | null): Runner {
  return { worker, here, started: true, orders: [], owes: new Map() };
}
