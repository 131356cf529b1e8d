/** Where a progress bar draws: a terminal's stream (stderr). */
export interface ProgressStream {
  write(text: string): unknown;
  columns?: number;
}

/** At most ten redraws a second: each is a line of escape codes, and the eye reads no faster. */
const REDRAW_MS = 100;

/**
 * A one-line progress bar redrawn in place (`\r`), for a terminal only: the caller decides that.
 * `[████░░░░] 372/2000 files · 610 files/s · 3 s left`. `clear` before printing anything else on
 * the same stream, `restore` after.
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

  /** Counts one more item; redraws if the last redraw is old enough, and always for the last item. */
  advance(now: number): void {
    this.done++;
    if (this.done === this.total) this.draw(now);
    else this.restore(now);
  }

  /** Draws the bar again after `clear`, unless it was drawn too recently: then the next `advance` does. */
  restore(now: number): void {
    if (now - this.lastDraw >= REDRAW_MS) this.draw(now);
  }

  draw(now: number): void {
    this.lastDraw = now;
    const counter = ` ${this.done}/${this.total} files${pace(this.done, this.total, (now - this.started) / 1000)}`;
    // A terminal of unknown size (0 columns, as in `script`) is taken as 80 wide.
    const width = Math.max(10, Math.min(40, (this.stream.columns || 80) - counter.length - 3));
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

/** ` · 610 files/s · 3 s left`, once a file is done and time has passed; else nothing. */
function pace(done: number, total: number, seconds: number): string {
  if (done === 0 || seconds <= 0) return '';
  const rate = done / seconds;
  const left = Math.ceil((total - done) / rate);
  return ` · ${rate < 10 ? rate.toFixed(1) : Math.round(rate)} files/s · ${left < 60 ? `${left} s` : `${Math.floor(left / 60)} min ${left % 60} s`} left`;
}
