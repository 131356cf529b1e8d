/** Where a progress bar draws: a terminal's stream (stderr). */
export interface ProgressStream {
  write(text: string): unknown;
  columns?: number;
}

/**
 * A one-line progress bar redrawn in place (`\r`), for a terminal only: the caller decides that.
 * `clear` before printing anything else on the same stream, `draw` after.
 */
export class ProgressBar {
  private readonly stream: ProgressStream;
  private readonly total: number;
  private readonly started: number;
  private done = 0;
  private lastDraw = -Infinity;
  private shown = false;

  constructor(stream: ProgressStream, total: number, now: number) {
    this.stream = stream;
    this.total = total;
    this.started = now;
  }

  /** Counts one more item; redraws at most every 50 ms, and always for the last one. */
  advance(now: number): void {
    this.done++;
    if (now - this.lastDraw >= 50 || this.done === this.total) this.draw(now);
  }

  draw(now: number): void {
    this.lastDraw = now;
    const counter = ` ${this.done}/${this.total} files  ${((now - this.started) / 1000).toFixed(1)} s`;
    const width = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - counter.length - 3));
    const filled = this.total === 0 ? width : Math.round((this.done / this.total) * width);
    this.stream.write(`\r[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]${counter}\u001b[K`);
    this.shown = true;
  }

  /** Removes the bar from its line. */
  clear(): void {
    if (this.shown) this.stream.write('\r\u001b[K');
    this.shown = false;
  }
}
