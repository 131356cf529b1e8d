/**
 * lynx and elinks number every link and print its number before its text: `[7]【搜出来的文本】…`,
 * `By [14]苏剑林 |`, `| [8]引用`. At the end, the References list gives each number's address
 * (`   7. http://kexue.fm/archives/8119`; elinks prints a link's title first and its address on the
 * next line after a tab). The numbers run in order through the page, so a `[1]` of the prose (`文献[1]
 * 所述`, the page's own citation) is told from a link number by not being the next one.
 */

/** A line's text without its link numbers, and the number of the link it starts with (0 if none). */
export interface Unnumbered {
  text: string;
  first: number;
}

export class LinkNumbers {
  /** The last link number seen. */
  private last = 0;
  /** How many numbered links the page has shown. */
  get count(): number {
    return this.last;
  }

  /** Strips the link numbers from a line (the next number, then the one after, ...), from `from` on. */
  strip(text: string, from: number): Unnumbered {
    let out = '';
    let copied = 0;
    let first = 0;
    for (let open = text.indexOf('[', from); open !== -1; open = text.indexOf('[', open + 1)) {
      let close = open + 1;
      while (close < text.length && close - open <= 6 && isDigit(text.charCodeAt(close))) close++;
      if (close === open + 1 || text.charCodeAt(close) !== 0x5d || Number(text.slice(open + 1, close)) !== this.last + 1) continue;
      this.last++;
      if (open === from) first = this.last;
      out += text.slice(copied, open);
      copied = close + 1;
      open = close;
    }
    return { text: copied === 0 ? text : out + text.slice(copied), first };
  }
}

/** A line of the References list: a link's number and address, or its title (the address follows on the next line). */
export type Reference = { n: number; url: string } | { n: number; title: string } | { url: string } | 'heading';

/** Whether a line is the heading of the References list (at the line's start, as lynx and elinks print it). */
export function isReferencesHeading(line: string): boolean {
  return line.trimEnd() === 'References';
}

/** What a line of the References list is, or null when the list has ended. */
export function reference(line: string): Reference | null {
  const text = line.trim();
  if (text === 'Visible links' || text === 'Hidden links:' || text === 'Hidden links') return 'heading';
  let i = 0;
  while (i < text.length && isDigit(text.charCodeAt(i))) i++;
  if (i > 0 && text.startsWith('. ', i)) {
    const n = Number(text.slice(0, i));
    const rest = text.slice(i + 2).trim();
    return isAddress(rest) ? { n, url: rest } : { n, title: rest };
  }
  // elinks: the address of the link whose title the line before gave, after a tab.
  return line.startsWith('\t') && isAddress(text) ? { url: text } : null;
}

/** An address as the list prints one: `scheme://…`, or `javascript:`, `mailto:` (not a title such as `P-tuning:自动构建模版`). */
function isAddress(text: string): boolean {
  if (text.includes(' ')) return false;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text) || text.startsWith('javascript:') || text.startsWith('mailto:');
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
