/**
 * Text browsers and converters wrap paragraphs at a width (lynx 79 characters, w3m and elinks 80
 * cells, pandoc 72), so a paragraph, a long title or a header arrives cut over lines. A line is
 * the start of a wrapped one when the next line's first word would not have fit after it: then
 * the two are one line of the page. A renderer that breaks Chinese text anywhere (lynx, w3m,
 * elinks) fills its lines to the width, so the width is measured on the input itself (its widest
 * line), and another width (`lynx -width=100`) is read alike; one that breaks at spaces only
 * (html2text, pandoc, links) leaves a Chinese paragraph on one long line, so its width is its default.
 */

/** How a renderer counts a line's width: every character as one (lynx), or East Asian wide ones as two (w3m, elinks, pandoc). */
export type Measure = 'chars' | 'cells';

// No renderer wraps narrower than this; nor are lines wider than this wrapped ones (a long URL, a line of code).
const MIN_WIDTH = 60;
const MAX_WIDTH = 200;
// Renderers leave a few columns free at a break: a trailing space dropped, a punctuation mark that may
// not end a line (`《`) or start one (`，`) moved to the next.
const SLACK = 4;

/** Whether a character is East Asian wide (CJK, full-width forms): two cells. */
export function isWide(c: number): boolean {
  return (
    (c >= 0x1100 && c <= 0x115f) ||
    (c >= 0x2e80 && c <= 0xa4cf && c !== 0x303f) ||
    (c >= 0xac00 && c <= 0xd7a3) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff00 && c <= 0xff60) ||
    (c >= 0xffe0 && c <= 0xffe6) ||
    (c >= 0x20000 && c <= 0x3fffd)
  );
}

/** The width of `text[from, to)` as the renderer counts it. */
export function width(text: string, measure: Measure, from = 0, to = text.length): number {
  let w = 0;
  for (let i = from; i < to; i++) {
    const c = text.codePointAt(i) as number;
    if (c > 0xffff) i++;
    w += measure === 'cells' && isWide(c) ? 2 : 1;
  }
  return w;
}

/** Whether a line is no wrapped one: wider than any renderer wraps, yet with a space it would have broken at. */
export function tooWideToWrap(line: string, measure: Measure): boolean {
  return line.length * 2 > MAX_WIDTH && line.trim().includes(' ') && width(line, measure) > MAX_WIDTH;
}

/**
 * Where a renderer breaks a line: at spaces only (html2text, pandoc, links: a Chinese paragraph stays
 * one line); at the line's last space, and inside a run only in a line without one (lynx); or
 * anywhere in Chinese text (w3m, elinks).
 */
export type Breaks = 'spaces' | 'last-space' | 'anywhere';

/** The renderer's width: its default where it breaks at spaces only, else measured on the dump (its widest line so far). */
export class WrapWidth {
  private readonly measure: Measure;
  private readonly breaks: Breaks;
  private widest: number;

  /** `width`: the renderer's default width, which is what counts where it breaks at spaces only. */
  constructor(measure: Measure, breaks: Breaks, width: number) {
    this.measure = measure;
    this.breaks = breaks;
    this.widest = breaks === 'spaces' ? width : MIN_WIDTH;
  }

  /** Takes a line's width into the measure (before a break is judged on it). */
  see(line: string): void {
    if (this.breaks === 'spaces') return;
    const w = width(line, this.measure);
    if (w <= MAX_WIDTH && w > this.widest) this.widest = w;
  }

  /** Whether `next` continues `line`: its first word (a Chinese character, where runs break anywhere) would not have fit after it. */
  continues(line: string, next: string): boolean {
    const start = next.length - next.trimStart().length;
    let end = start;
    const anywhere = this.breaks === 'anywhere';
    if (anywhere && isWide(next.codePointAt(start) ?? 0)) end++;
    else while (end < next.length && next.charCodeAt(end) !== 0x20 && !(anywhere && isWide(next.codePointAt(end) as number))) end++;
    const used = width(line.trimEnd(), this.measure);
    // At spaces only, a line wider than the width is a run that had nowhere to break before the space after it.
    if (this.breaks === 'spaces' && used > this.widest) return true;
    const gap = this.joint(line, next) === ' ' ? 1 : 0;
    return used + gap + width(next, this.measure, start, end) > this.widest - SLACK;
  }

  /**
   * What stood at the break between the printed line `raw` and the line `next` that continues it:
   * a space where breaks fall at spaces; nothing where one fell inside a run (lynx cuts a word only
   * when it fills a line without a space: `…而像BER` / `T这样的…`; w3m and elinks cut Chinese text anywhere).
   */
  joint(raw: string, next: string): string {
    if (this.breaks === 'spaces') return ' ';
    const spaced = raw.trim().includes(' ');
    if (this.breaks === 'last-space') return spaced || width(raw.trimEnd(), this.measure) < this.widest - SLACK ? ' ' : '';
    return spaced && joinsWithSpace(raw, next.trimStart()) ? ' ' : '';
  }
}

/** Whether a break between these two may have fallen on a space: neither side is wide (`Your` / `Accuracy》`, not `所谓文本` / `随机采样`). */
function joinsWithSpace(line: string, next: string): boolean {
  const last = line.trimEnd();
  const a = last.codePointAt(last.length - 1) ?? 0x20;
  const b = next.codePointAt(0) ?? 0x20;
  return a !== 0x20 && b !== 0x20 && !isWide(a) && !isWide(b >= 0xdc00 && b <= 0xdfff ? 0 : b);
}
