import type { Stats } from '../stats.js';
import { printable } from './printable.js';
import { count, digits } from '../words.js';

export interface StatsStyle {
  /** How headings and bars are painted (plain text off a terminal). */
  color: { bold(text: string): string; cyan(text: string): string };
  /** Bars of block characters (a terminal), or of `#` (a file, a pipe). */
  blocks: boolean;
  /** The longest bar, in characters. */
  width: number;
}

/** `postdump stats` for people: sections of aligned lines and a bar chart of posts per year; names and titles escaped for a terminal (`printable`). */
export function renderStats(stats: Stats, style: StatsStyle): string {
  const { color } = style;
  const head = (text: string): string => `\n${color.bold(text)}\n`;
  let out = stats.dates === null ? `${count(stats.posts, 'post')}\n` : `${count(stats.posts, 'post')}, ${stats.dates.first} to ${stats.dates.last}\n`;
  if (stats.posts === 0) return out;

  out += head('authors');
  const authorWidth = largest(stats.authors, (a) => digits(a.posts).length);
  for (const a of stats.authors) out += `  ${digits(a.posts).padStart(authorWidth)}  ${printable(a.name)}\n`;

  const { readers } = stats;
  out += head('readers');
  if (readers.median === null) {
    out += '  no post shows a reader count\n';
  } else {
    const width = Math.max(digits(readers.total).length, digits(readers.median).length);
    out += `  total   ${digits(readers.total).padStart(width)}\n`;
    out += `  median  ${digits(readers.median).padStart(width)}${readers.counted === stats.posts ? '' : `  (of the ${count(readers.counted, 'post')} with a count)`}\n`;
    out += `  top ${readers.top.length}\n`;
    const topWidth = largest(readers.top, (t) => digits(t.readers).length);
    for (const t of readers.top) out += `    ${digits(t.readers).padStart(topWidth)}  ${t.date}  ${printable(t.title)}\n`;
  }

  out += head('posts per year');
  const most = largest(stats.years, (y) => y.posts);
  const countWidth = largest(stats.years, (y) => String(y.posts).length);
  for (const y of stats.years) {
    const bar = style.blocks ? blockBar(y.posts / most, style.width) : plainBar(y.posts / most, style.width);
    out += `  ${y.year}  ${String(y.posts).padStart(countWidth)}${bar === '' ? '' : ` ${color.cyan(bar)}`}\n`;
  }

  if (stats.series.length > 0) {
    out += head('series');
    for (const s of stats.series) out += `  ${printable(s.name)}: ${count(s.parts.length, 'part')} (${s.parts.join(', ')})\n`;
  }
  return out;
}

// Eighths of a character cell, for bars that grow smoothly.
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

function blockBar(fraction: number, width: number): string {
  const eighths = Math.round(fraction * width * 8);
  return '█'.repeat(eighths >> 3) + (EIGHTHS[eighths & 7] ?? '') || (fraction > 0 ? '▏' : '');
}

function plainBar(fraction: number, width: number): string {
  // A year with any post shows at least one mark.
  return '#'.repeat(fraction > 0 ? Math.max(1, Math.round(fraction * width)) : 0);
}

/** The largest of `f` over `items` (-Infinity for none, as `Math.max()`), in a loop: a spread of 125,000 numbers overflows the stack. */
function largest<T>(items: readonly T[], f: (item: T) => number): number {
  let most = -Infinity;
  for (const item of items) most = Math.max(most, f(item));
  return most;
}
