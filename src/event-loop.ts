/**
 * Long synchronous stretches give the event loop a turn every `TURN_MS` at most, so that a signal's
 * handler (SIGTERM, Ctrl-C) runs within a bounded time whatever the input: reading files is
 * synchronous, and awaiting a settled promise runs no callback of the event loop. A turn costs a
 * few microseconds, 20 a second nothing.
 */
const TURN_MS = 50;

/** Milliseconds on a monotonic clock: process.uptime's, not the global `performance`, which loads perf_hooks (1.4 ms of every start). */
const now = (): number => process.uptime() * 1000;

let lastTurn = now();

/** A turn of the event loop now: timers, I/O callbacks and signal handlers run before it resolves. */
export async function eventLoopTurn(): Promise<void> {
  lastTurn = now();
  // The global setImmediate, not timers/promises' (0.5 ms of every start to load).
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A turn of the event loop if the last one was `TURN_MS` ago or more; else nothing to wait for. */
export function turnIfDue(): Promise<void> | undefined {
  return now() - lastTurn >= TURN_MS ? eventLoopTurn() : undefined;
}

/** The items of `items`, with a turn of the event loop between two when one is due. */
export async function* withTurns<T>(items: AsyncIterable<T> | Iterable<T>): AsyncGenerator<T> {
  for await (const item of items) {
    yield item;
    await turnIfDue();
  }
}
