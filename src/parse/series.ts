/**
 * The series a title belongs to, and its part number, read from the title alone:
 *
 *     生成扩散模型漫谈(一):DDPM = 拆楼 + 建楼      → 生成扩散模型漫谈, 1
 *     【搜出来的文本】⋅(三)基于BERT的文本采样        → 搜出来的文本, 3
 *     流形上的最速下降:5. 对偶梯度下降              → 流形上的最速下降, 5
 *     Transformer升级之路：10、RoPE是一种β进制编码  → Transformer升级之路, 10
 *
 * Parts are Chinese numerals 一 to 九十九 or Arabic numbers, in half- or full-width brackets, or after
 * the series' colon followed by `.` or `、`.
 */

export interface SeriesPart {
  series: string;
  part: number;
}

// The part's number: `(\d{1,3}|[一二三四五六七八九十]{1,3})`, written out in each pattern (literals,
// so that tests/source-rules.test.ts can check every pattern of src/ for backtracking).
// `(三)` anywhere after a name: the first bracketed number wins.
const BRACKETED = /^(.*?\S)\s*[(（]\s*(\d{1,3}|[一二三四五六七八九十]{1,3})\s*[)）]/u;
// `:5. ` or `：二、` right after the name; `:1.5倍` is a decimal, not a part.
const NUMBERED = /^(.*?\S)\s*[:：]\s*(\d{1,3}|[一二三四五六七八九十]{1,3})\s*[.．、](?!\d)/u;
// What joins a name to its part and is no part of the name: `⋅`, `·`, dashes, colons, bars. The
// lookbehind starts a match only where a run starts: without it, each position inside a long run
// scanned to the run's end and failed (quadratic).
const TRAILING_JOINER = /(?<![\s⋅·・•:：\-—–_|｜])[\s⋅·・•:：\-—–_|｜]+$/u;
// A name shown in decorative brackets: `【搜出来的文本】`.
const WRAPPED = /^(?:【(.+)】|\[(.+)\]|《(.+)》|「(.+)」)$/u;

/** The series and part named in a title, or null when it names none. */
export function seriesOf(title: string): SeriesPart | null {
  const m = BRACKETED.exec(title) ?? NUMBERED.exec(title);
  if (m === null) return null;
  const part = partNumber(m[2] as string);
  const series = seriesName(m[1] as string);
  return part === null || series === '' ? null : { series, part };
}

function seriesName(prefix: string): string {
  const name = prefix.replace(TRAILING_JOINER, '').trim();
  const w = WRAPPED.exec(name);
  return w === null ? name : (w[1] ?? w[2] ?? w[3] ?? w[4] ?? '').trim();
}

const DIGITS = '一二三四五六七八九';

/** `3`, `三`, `十一`, `九十九` → the number (1 to 999 Arabic, 1 to 99 Chinese), else null. */
function partNumber(text: string): number | null {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= 1 ? n : null;
  }
  const m = /^(?:([一二三四五六七八九])|([二三四五六七八九])?十([一二三四五六七八九])?)$/u.exec(text);
  if (m === null) return null;
  const digit = (c: string | undefined): number => (c === undefined ? 0 : DIGITS.indexOf(c) + 1);
  if (m[1] !== undefined) return digit(m[1]);
  return (m[2] === undefined ? 1 : digit(m[2])) * 10 + digit(m[3]);
}
