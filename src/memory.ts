import { getHeapStatistics } from 'node:v8';
import { diagnostic } from './diagnostics.js';
import { PostdumpError } from './errors.js';
import type { DiagnosticArgs } from './types.js';

/** How much the stages that hold data (a sort's posts, `--dedupe`'s keys) may hold, in bytes. */
export interface MemoryLimits {
  /** On V8's heap (objects, strings), whose limit ends the process with no word when it is passed. */
  heap: number;
  /** In buffers outside it (excerpt bytes), which come out of the machine's memory. */
  buffers: number;
}

/**
 * A share of what this process may use: three quarters of what V8's old generation has left (its
 * heap limit but for the young generation, where nothing that is kept stays) and of the memory free
 * on the machine (or in the cgroup), each looked up when the run first holds data of its kind. A run
 * that would hold more stops with one line instead: V8 ends a process that passes its heap limit
 * with a fatal error no code can catch, and the system's OOM killer ends one that takes all memory
 * with SIGKILL.
 *
 * Looked up when first needed, not as the run starts: most runs hold nothing (no --sort or
 * --dedupe), `node:v8` costs 2 ms of a start to load (it is loaded on first use, see
 * src/cli/start.ts), the free memory some 50 µs of system calls, and convert runs the pipeline once
 * for each file. What the run has not yet charged but uses by then (its parser, a batch) only makes
 * the share smaller.
 */
export function memoryLimits(): MemoryLimits {
  let heap: number | undefined;
  let buffers: number | undefined;
  return {
    get heap() {
      heap ??= 0.75 * heapLeft();
      return heap;
    },
    get buffers() {
      buffers ??= 0.75 * process.availableMemory();
      return buffers;
    },
  };
}

/** What V8's old generation has left: its heap limit but for the young generation, less what is used. */
function heapLeft(): number {
  const { heap_size_limit, used_heap_size } = getHeapStatistics();
  return Math.max(0, heap_size_limit - YOUNG_GENERATION_BYTES - used_heap_size);
}

/** V8's young generation on 64-bit Node 20 (three 16 MiB semi-spaces), counted in `heap_size_limit` (measured: the limit is `--max-old-space-size` + 48 MiB). */
const YOUNG_GENERATION_BYTES = 48 * 1024 * 1024;

/**
 * What the holding stages charge with what they keep and release when they let it go, naming
 * themselves (`--sort`, `--dedupe`); passing a limit throws `OUT_OF_MEMORY` (exit status 1). What is
 * held is each stage's own estimate (its posts, their strings), not the heap's size, which includes
 * garbage not yet collected.
 */
export class MemoryBudget {
  private readonly limits: MemoryLimits;
  private heap = 0;
  private buffers = 0;

  constructor(limits: MemoryLimits) {
    this.limits = limits;
  }

  /** `holder` keeps `bytes` more on the heap. */
  charge(holder: string, bytes: number): void {
    this.heap += bytes;
    if (this.heap > this.limits.heap) throw exhausted({ holder, limit: this.limits.heap, of: 'heap' });
  }

  release(bytes: number): void {
    this.heap -= bytes;
  }

  /** A buffer of `bytes` for `holder`: allocated here, so that a failed allocation is the same one error. */
  allocate(holder: string, bytes: number): Uint8Array {
    this.buffers += bytes;
    if (this.buffers > this.limits.buffers) throw exhausted({ holder, limit: this.limits.buffers, of: 'free' });
    try {
      return new Uint8Array(bytes);
    } catch (e) {
      if (e instanceof RangeError) throw exhausted({ holder, held: this.heap + this.buffers });
      throw e;
    }
  }

  releaseBuffers(bytes: number): void {
    this.buffers -= bytes;
  }
}

function exhausted(args: DiagnosticArgs['OUT_OF_MEMORY']): PostdumpError {
  return new PostdumpError(diagnostic('OUT_OF_MEMORY', 'error', null, args));
}

/** No limit: for tests that do not test it. */
export const UNLIMITED: MemoryLimits = { heap: Number.POSITIVE_INFINITY, buffers: Number.POSITIVE_INFINITY };
