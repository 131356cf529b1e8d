/** convert's progress bar (`src/output/progress.ts`) on a fake clock: what it draws, and how often. */
import { describe, expect, it } from 'vitest';
import { ProgressBar } from '../src/output/progress.js';

/** A terminal stream that keeps what was written. */
function terminal(): { writes: string[]; write(text: string): void; columns: number } {
  const writes: string[] = [];
  return { writes, write: (text) => void writes.push(text), columns: 100 };
}
const redraws = (writes: readonly string[]): string[] => writes.filter((w) => w.startsWith('\r['));

describe('ProgressBar', () => {
  it('shows the count, the rate and the time left', () => {
    const stream = terminal();
    const bar = new ProgressBar(stream, 2000, 0);
    for (let i = 0; i < 372; i++) bar.advance(0);
    bar.draw(610);
    expect(stream.writes.at(-1)).toMatch(/^\r\[█+░+\] 372\/2000 files · 610 files\/s · 3 s left\u001b\[K$/u);
    bar.draw(372_000);
    expect(stream.writes.at(-1)).toContain(' 372/2000 files · 1.0 files/s · 27 min 8 s left');
  });

  it('before any file is done: the count alone', () => {
    const stream = terminal();
    new ProgressBar(stream, 5, 0).draw(0);
    expect(stream.writes).toEqual([`\r[${'░'.repeat(40)}] 0/5 files\u001b[K`]);
  });

  it('redraws at most ten times a second, whatever the files and diagnostics, and always for the last file', () => {
    const stream = terminal();
    const bar = new ProgressBar(stream, 2000, 0);
    bar.draw(0);
    // 2,000 files in 2 s, a diagnostic printed after every tenth (the bar cleared, then restored).
    for (let i = 1; i <= 2000; i++) {
      if (i % 10 === 0) {
        bar.clear();
        bar.restore(i);
      }
      bar.advance(i);
    }
    const drawn = redraws(stream.writes);
    // One at the start, one per 100 ms of the 2 s, and the last.
    expect(drawn.length).toBeLessThanOrEqual(1 + 20 + 1);
    expect(drawn.at(-1)).toContain(' 2000/2000 files');
    // Before the change it was one per file (about 125 KB of escape codes for 2,000 files).
    expect(stream.writes.join('').length).toBeLessThan(10_000);
  });
});
