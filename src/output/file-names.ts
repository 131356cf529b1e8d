import { Buffer } from 'node:buffer';

/**
 * File names made from text that anyone could have written (a post title): safe on every system and
 * never a path. What is removed: path separators and every other character Windows forbids
 * (`< > : " / \ | ? *`), control and bidirectional-override characters, runs of dots (`..`), leading
 * dots (hidden files), trailing dots and spaces (Windows drops them), and reserved device names
 * (`CON`, `NUL`, `COM1`, ...). The name stays within a byte budget, cut between characters.
 */

// Each run becomes one space: `生成扩散模型漫谈(一):DDPM` → `生成扩散模型漫谈(一) DDPM`.
const FORBIDDEN = /[<>:"/\\|?*\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]+/gu;
const RESERVED = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?:\.|$)/iu;

/** The longest name, in UTF-8 bytes: below the usual 255, leaving room for a temporary file's prefix and suffix. */
export const MAX_NAME_BYTES = 200;

/**
 * `prefix` + `text` made safe as the start of a file name: no separator, no control character, not
 * empty. Path steps made only of dots (`../../x`) are dropped rather than kept as dots.
 */
export function cleanName(text: string, prefix = ''): string {
  const clean = text
    .normalize('NFC')
    .split(/[/\\]/u)
    .filter((step) => !/^[\s.]*$/u.test(step))
    .join(' ')
    .replace(FORBIDDEN, ' ')
    .replace(/\s+/gu, ' ')
    .replace(/\.{2,}/gu, '.')
    .replace(/^[\s.]+|(?<![\s.])[\s.]+$/gu, '');
  const name = prefix + (clean === '' ? 'untitled' : clean);
  return RESERVED.test(name) ? `_${name}` : name;
}

/**
 * `stem` + `suffix` + `extension` within `MAX_NAME_BYTES`, the stem cut short (between characters) if
 * need be. `stem` must come from `cleanName`; `suffix` and `extension` are the caller's own (`-2`, `.md`).
 */
export function fitName(stem: string, suffix: string, extension: string): string {
  const budget = MAX_NAME_BYTES - Buffer.byteLength(suffix + extension);
  let fitted = '';
  let bytes = 0;
  for (const char of stem) {
    bytes += Buffer.byteLength(char);
    if (bytes > budget) break;
    fitted += char;
  }
  // A cut can leave a trailing space or dot again.
  return `${fitted.replace(/(?<![\s.])[\s.]+$/u, '') || 'untitled'}${suffix}${extension}`;
}

/**
 * Hands out names that differ from every name handed out before, ignoring case and Unicode
 * normalisation (as case-insensitive file systems do): `a.md`, then `a-2.md`, `a-3.md`.
 */
export class UniqueNames {
  private readonly taken = new Set<string>();
  /**
   * The suffix to try next for each name asked for (by its first choice): N posts of one title and
   * date cost N tries, not N²/2. Stems cut to the same first choice share their later choices too.
   */
  private readonly next = new Map<string, number>();

  name(stem: string, extension: string): string {
    const first = fitName(stem, '', extension);
    const base = caseless(first);
    for (let n = this.next.get(base) ?? 1; ; n++) {
      const name = n === 1 ? first : fitName(stem, `-${n}`, extension);
      const key = caseless(name);
      if (!this.taken.has(key)) {
        this.taken.add(key);
        this.next.set(base, n + 1);
        return name;
      }
    }
  }
}

function caseless(name: string): string {
  return name.normalize('NFC').toLowerCase();
}
