/**
 * The header grammar (SPEC §2): `By <author> <bar> <date> <bar> <N>位读者 [<bar>] [引用]<first paragraph>`,
 * unit by unit: `parseHeader` (fields, restStart, broken reasons) and `normalizeDate` (real calendar dates).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeDate, parseHeader, type Header, type HeaderResult } from '../src/parse/header.js';
import { diagnostic } from '../src/diagnostics.js';

const NBSP = '\u00a0';
const IDEO = '\u3000';

/** The parsed header, failing the test when the line does not parse. */
function header(line: string): Header {
  const result = parseHeader(line);
  if (result === null || !('header' in result)) throw new Error(`not a header: ${JSON.stringify(line)} → ${JSON.stringify(result)}`);
  return result.header;
}

/** The first paragraph as the parser cuts it: everything from restStart. */
function rest(line: string): string {
  return line.slice(header(line).restStart);
}

/** The reason a header-like line does not parse, in words, failing the test when it parses or is plain text. */
function broken(line: string): string {
  const result = parseHeader(line);
  if (result === null || !('broken' in result)) throw new Error(`not broken: ${JSON.stringify(line)} → ${JSON.stringify(result)}`);
  return diagnostic('BROKEN_HEADER', 'warning', null, result.broken).detail;
}

describe('parseHeader: the seed form', () => {
  const line = 'By 苏剑林 | 2021-01-22 | 81957位读者 | 引用从这一篇开始,我们就将前面所介绍的采样算法应用到具体的文本生成例子中。';

  it('reads author, date and readers', () => {
    expect(header(line)).toEqual({ author: '苏剑林', date: '2021-01-22', readers: 81957, restStart: 35 });
  });

  it('puts restStart right after 引用, at the first paragraph', () => {
    expect(line.slice(0, header(line).restStart)).toBe('By 苏剑林 | 2021-01-22 | 81957位读者 | 引用');
    expect(rest(line)).toBe('从这一篇开始,我们就将前面所介绍的采样算法应用到具体的文本生成例子中。');
  });
});

describe('parseHeader: bars and the white space around them', () => {
  const fields = { author: '苏剑林', date: '2021-01-22', readers: 81957 };
  it.each([
    ['ASCII bars with single spaces', 'By 苏剑林 | 2021-01-22 | 81957位读者 | 引用正文'],
    ['no space at all', 'By 苏剑林|2021-01-22|81957位读者|引用正文'],
    ['full-width bars', 'By 苏剑林 ｜ 2021-01-22 ｜ 81957位读者 ｜ 引用正文'],
    ['full-width bars without spaces', 'By 苏剑林｜2021-01-22｜81957位读者｜引用正文'],
    ['mixed bars', 'By 苏剑林 ｜ 2021-01-22 | 81957位读者 ｜ 引用正文'],
    ['runs of spaces', 'By   苏剑林   |   2021-01-22    |  81957位读者   |    引用正文'],
    ['tabs', 'By\t苏剑林\t|\t2021-01-22\t\t|\t81957位读者\t|\t引用正文'],
    ['NBSP', `By${NBSP}苏剑林${NBSP}|${NBSP}2021-01-22${NBSP}${NBSP}|${NBSP}81957位读者${NBSP}|${NBSP}引用正文`],
    ['U+3000', `By${IDEO}苏剑林${IDEO}|${IDEO}2021-01-22${IDEO}|${IDEO}81957位读者${IDEO}|${IDEO}引用正文`],
    ['every kind mixed', `By${NBSP}苏剑林 \t|${IDEO} 2021-01-22${NBSP}｜\t81957位读者${IDEO}| ${NBSP}引用正文`],
    ['white space after 引用', `By 苏剑林 | 2021-01-22 | 81957位读者 | 引用 ${IDEO}${NBSP}\t正文`],
    ['leading spaces before By', '   By 苏剑林 | 2021-01-22 | 81957位读者 | 引用正文'],
    ['a leading tab before By', '\tBy 苏剑林 | 2021-01-22 | 81957位读者 | 引用正文'],
    ['leading U+3000 and NBSP before By', `${IDEO}${NBSP}By 苏剑林 | 2021-01-22 | 81957位读者 | 引用正文`],
    ['white space between count and 位读者', 'By 苏剑林 | 2021-01-22 | 81957 位读者 | 引用正文'],
  ])('%s', (_label, line) => {
    expect(header(line)).toMatchObject(fields);
    expect(rest(line)).toBe('正文');
  });
});

describe('parseHeader: what follows the count', () => {
  it.each([
    ['引用 glued to the first paragraph', 'By 苏剑林 | 2021-01-22 | 81957位读者 | 引用正文', '正文'],
    ['no 引用', 'By 苏剑林 | 2021-01-22 | 81957位读者 | 正文', '正文'],
    ['no 引用, no space after the bar', 'By 苏剑林 | 2021-01-22 | 81957位读者 |正文', '正文'],
    ['no last bar', 'By 苏剑林 | 2021-01-22 | 81957位读者 正文', '正文'],
    ['nothing after the last bar', 'By 苏剑林 | 2021-01-22 | 81957位读者 |', ''],
    ['only white space after the last bar', 'By 苏剑林 | 2021-01-22 | 81957位读者 |   ', ''],
    ['nothing after 引用', 'By 苏剑林 | 2021-01-22 | 81957位读者 | 引用', ''],
    ['nothing after 位读者', 'By 苏剑林 | 2021-01-22 | 81957位读者', ''],
    ['a paragraph that itself starts with 引用 (one 引用 dropped)', 'By 苏剑林 | 2021-01-22 | 81957位读者 | 引用引用的文章', '引用的文章'],
    ['bars inside the first paragraph', 'By 苏剑林 | 2021-01-22 | 81957位读者 | 引用设$|x|<1$,则$p(y|x)$有界', '设$|x|<1$,则$p(y|x)$有界'],
    ['a count-like text in the first paragraph', 'By 苏剑林 | 2021-01-22 | 81957位读者 | 引用本文已有100位读者', '本文已有100位读者'],
  ])('%s', (_label, line, paragraph) => {
    expect(header(line)).toMatchObject({ author: '苏剑林', date: '2021-01-22', readers: 81957 });
    expect(rest(line)).toBe(paragraph);
  });

  it('gives restStart as an index into the line (UTF-16 units), at the end when nothing follows', () => {
    const line = 'By 苏剑林 | 2021-01-22 | 81957位读者 |';
    expect(header(line).restStart).toBe(line.length);
    const padded = `${IDEO}${IDEO}By 苏剑林 | 2021-01-22 | 81957位读者 | 引用${IDEO}x`;
    expect(header(padded).restStart).toBe(padded.length - 1);
  });
});

describe('parseHeader: reader counts', () => {
  it.each([
    ['81957', 81957],
    ['81,957', 81957],
    ['1,101,535', 1101535],
    ['999', 999],
    ['1,000', 1000],
    ['0', 0],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
  ])('%s位读者 → %d', (count, readers) => {
    expect(header(`By 苏剑林 | 2021-01-22 | ${count}位读者 | 引用x`).readers).toBe(readers);
  });

  it.each([
    ['8,1957', /"8,1957" is not a number/],
    ['81,95', /"81,95" is not a number/],
    [',957', /",957" is not a number/],
    ['81957,', /"81957," is not a number/],
    ['81.957', /"81.957" is not a number/],
    ['147,04,6', /"147,04,6" is not a number/],
    ['八万', /"八万" is not a number/],
    ['99999999999999999', /"99999999999999999" is too large/],
  ])('%s位读者 is broken', (count, reason) => {
    expect(broken(`By 苏剑林 | 2021-01-22 | ${count}位读者 | 引用x`)).toMatch(reason);
  });
});

describe('parseHeader: the English site', () => {
  it('reads By Jianlin Su | 2026-03-19 | 5246 readers |', () => {
    const line = 'By Jianlin Su | 2026-03-19 | 5246 readers |';
    expect(header(line)).toEqual({ author: 'Jianlin Su', date: '2026-03-19', readers: 5246, restStart: line.length });
  });

  it('reads the singular "1 reader"', () => {
    expect(header('By Jianlin Su | 2026-03-21 | 1 reader |')).toMatchObject({ readers: 1 });
    expect(rest('By Jianlin Su | 2026-03-21 | 1 reader | Gradient clipping is old.')).toBe('Gradient clipping is old.');
  });

  it('reads thousands separators and a first paragraph after the last bar', () => {
    const line = 'By Jianlin Su | 2026-03-25 | 12,480 readers | Kernel smoothing predates attention.';
    expect(header(line)).toMatchObject({ author: 'Jianlin Su', readers: 12480 });
    expect(rest(line)).toBe('Kernel smoothing predates attention.');
  });

  it('keeps a multi-word author whole, without the white space around it', () => {
    expect(header(`By${NBSP} Jianlin Su ${IDEO}| 2026-03-19 | 5246 readers |`).author).toBe('Jianlin Su');
  });

  it('does not take "readership" for "readers"', () => {
    expect(broken('By Jianlin Su | 2026-03-19 | 5246 readership |')).toBeTruthy();
  });
});

describe('parseHeader: dates in the header', () => {
  it('normalizes an unpadded date', () => {
    expect(header('By 苏剑林 | 2021-1-5 | 100位读者 |').date).toBe('2021-01-05');
  });

  it('accepts 2020-02-29 (a leap day)', () => {
    expect(header('By 苏剑林 | 2020-02-29 | 100位读者 |').date).toBe('2020-02-29');
  });

  it.each(['2021-13-45', '2021-02-30', '2021-02-29', '2021/01/22', '2021.01.22', '21-01-22', '2021年1月22日'])(
    '%s is broken, and the reason names it',
    (date) => {
      expect(broken(`By 苏剑林 | ${date} | 100位读者 | 引用x`)).toBe(`its date "${date}" is not a real YYYY-MM-DD date`);
    },
  );

  it('reports an empty date as a bad date', () => {
    expect(broken('By 苏剑林 |  | 100位读者 |')).toMatch(/date/);
  });
});

describe('parseHeader: broken headers and their reasons', () => {
  it('no author', () => {
    expect(broken('By  | 2022-06-13 | 379908位读者 | 引用x')).toBe('has no author');
    expect(broken(`By${IDEO}| 2022-06-13 | 379908位读者 |`)).toBe('has no author');
  });

  it('empty count before 位读者', () => {
    expect(broken('By 苏剑林 | 2021-12-24 | 位读者 | 引用x')).toBe('has no reader count');
  });

  it('count field missing altogether: starts like a header but does not match', () => {
    expect(broken('By 苏剑林 | 2021-04-03 | 引用在之前的文章中')).toMatch(/does not match/);
  });

  it('no By, but a count of readers after a bar', () => {
    expect(broken('苏剑林 | 2021-12-17 | 64519位读者 | 引用两年前')).toMatch(/does not match/);
    expect(broken('2021-12-17 ｜ 3 位读者')).toMatch(/does not match/);
  });

  it('prose with a count of readers but no bar before it is plain text', () => {
    expect(parseHeader('本站共有1234位读者订阅')).toBeNull();
    expect(parseHeader('有3 位读者留言 | 后记')).toBeNull();
  });

  it('lower-case "by" is not the grammar: broken when it carries a count', () => {
    expect(broken('by 苏剑林 | 2021-01-22 | 81957位读者 |')).toMatch(/does not match/);
  });

  it('an extra field between date and count', () => {
    expect(broken('By 苏剑林 | 2021-01-22 | 科学空间 | 81957位读者 |')).toBeTruthy();
  });

  it('By + two bars, whatever the fields say', () => {
    expect(broken('By the way, a | b | c')).toMatch(/does not match/);
  });
});

describe('parseHeader: ordinary text is null', () => {
  it.each([
    ['a title', '【搜出来的文本】⋅(三)基于BERT的文本采样'],
    ['a title starting with "By "', 'By Analogy: Attention as a Kernel Smoother'],
    ['prose starting with "By " and no bar', 'By the way,这里的贪心搜索也可以换成Beam Search,结论不变。'],
    ['prose starting with "By " and one bar', 'By 定义,$p(y|x)$是条件概率。'],
    ['a word starting with By', 'Byzantine | fault | tolerance'],
    ['位读者 without a digit', '感谢各位读者的反馈,本文补充了一些推导。'],
    ['a table row', '| 解码方式 | 重复率 |'],
    ['LaTeX with bars', '\\begin{equation}\\|x\\| = |x_1| + |x_2|\\end{equation}'],
    ['an empty line', ''],
    ['white space', `  \t${NBSP}${IDEO}`],
  ])('%s', (_label, line) => {
    expect(parseHeader(line)).toBeNull();
  });
});

describe('normalizeDate', () => {
  it.each([
    ['2021-01-22', '2021-01-22'],
    ['2021-1-5', '2021-01-05'],
    ['2021-01-5', '2021-01-05'],
    ['2021-1-05', '2021-01-05'],
    ['2021-12-31', '2021-12-31'],
    ['2021-01-01', '2021-01-01'],
    ['2026-03-19', '2026-03-19'],
  ])('%s → %s', (text, date) => {
    expect(normalizeDate(text)).toBe(date);
  });

  describe('leap years', () => {
    it.each([
      ['2020-02-29', '2020-02-29'], // divisible by 4
      ['2024-2-29', '2024-02-29'],
      ['2000-02-29', '2000-02-29'], // divisible by 400
      ['2021-02-28', '2021-02-28'],
    ])('%s is real', (text, date) => {
      expect(normalizeDate(text)).toBe(date);
    });

    it.each([
      '2021-02-29', // not divisible by 4
      '2019-02-29',
      '1900-02-29', // divisible by 100, not by 400
      '2100-02-29',
      '2020-02-30',
    ])('%s is not', (text) => {
      expect(normalizeDate(text)).toBeNull();
    });
  });

  it.each(['2021-13-45', '2021-13-01', '2021-00-10', '2021-01-00', '2021-01-32', '2021-04-31', '2021-06-31', '2021-09-31', '2021-11-31'])(
    '%s is not a real date',
    (text) => {
      expect(normalizeDate(text)).toBeNull();
    },
  );

  it.each([
    '',
    '2021',
    '2021-01',
    '21-01-22',
    '2021/01/22',
    '2021.01.22',
    '2021-001-05',
    '2021-01-005',
    ' 2021-01-22',
    '2021-01-22 ',
    '2021-01-22T00:00',
    '２０２１-01-22',
    'abcd-ef-gh',
  ])('%j is not YYYY-M-D', (text) => {
    expect(normalizeDate(text)).toBeNull();
  });
});

describe('parseHeader: the same results as the regular expressions it replaced (they backtracked cubically)', () => {
  // parseHeader as it was written before, the reference: fed only short lines here.
  const HEADER = /^\s*By\s+([^|｜]*?)\s*[|｜]\s*([^|｜]*?)\s*[|｜]\s*([^|｜]*?)\s*(?:位读者|readers?\b)\s*(?:[|｜]\s*)?(?:引用\s*)?/;
  const HEADER_LIKE = /^\s*By\s[^|｜]*[|｜][^|｜]*[|｜]|[|｜][^|｜]*\d\s*位读者/;
  const reference = (line: string): HeaderResult => {
    const m = HEADER.exec(line);
    if (m === null) return HEADER_LIKE.test(line) ? { broken: { fault: 'shape' } } : null;
    const [, author = '', rawDate = '', count = ''] = m;
    if (author === '') return { broken: { fault: 'no-author' } };
    const date = normalizeDate(rawDate);
    if (date === null) return { broken: { fault: 'date', date: rawDate } };
    if (count === '') return { broken: { fault: 'no-readers' } };
    if (!/^(?:\d{1,3}(?:,\d{3})+|\d+)$/.test(count)) return { broken: { fault: 'readers', readers: count } };
    const readers = Number(count.replaceAll(',', ''));
    if (!Number.isSafeInteger(readers)) return { broken: { fault: 'readers-too-large', readers: count } };
    return { header: { author, date, readers, restStart: m[0].length } };
  };
  /** The lines among `lines` on which parseHeader and the reference differ (a string compare: this runs 200,000 times). */
  const disagreements = (lines: Iterable<string>): { line: string; expected: HeaderResult; actual: HeaderResult }[] => {
    const found = [];
    for (const line of lines) {
      const expected = reference(line);
      const actual = parseHeader(line);
      if (JSON.stringify(actual) !== JSON.stringify(expected)) found.push({ line, expected, actual });
    }
    return found;
  };

  const SPACES = [' ', '\t', '\u00a0', '\u3000', '\ufeff', '\u2028', '\u200a', '\u1680', '\u202f', '\u205f', '\v', '\f', '\r', '\n'];
  const PIECES = [...SPACES, 'By', 'by', 'B', 'y', '|', '｜', '位读者', '读者', '位', 'reader', 'readers', 'readership', 's', '_', '-', ',', '0', '7'];
  const WORDS = ['2021-01-22', '2020-2-29', '1,234', '99999999999999999', '引用', '引', '苏剑林', 'Jianlin Su', 'x', '\u200b', '\u0085'];
  const piece = fc.constantFrom(...PIECES, ...WORDS);
  const line = fc.array(piece, { maxLength: 24 }).map((pieces) => pieces.join(''));
  // Lines that reach the count field and beyond: a header with random pieces in every gap.
  const gap = fc.array(piece, { maxLength: 4 }).map((pieces) => pieces.join(''));
  const skeleton = fc
    .tuple(gap, gap, gap, gap, gap, gap, gap, gap)
    .map(([a, b, c, d, e, f, g, h]) => `${a}By${b} 苏剑林${c}|${d}2021-01-22${e}｜${f}81,957${g}位读者${h}`);

  it('on random lines of the grammar’s pieces', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(line, skeleton), { minLength: 100, maxLength: 100 }), (lines) => {
        expect(disagreements(lines)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('for every UTF-16 code unit in every gap of a header (white space is exactly what \\s is)', () => {
    const lines = function* () {
      for (let c = 0; c <= 0xffff; c++) {
        const ch = String.fromCharCode(c);
        yield `${ch}By${ch}a${ch}|${ch}2021-01-22${ch}|${ch}1${ch}位读者${ch}|${ch}引用${ch}x`;
        yield `By a | 2021-01-22 | 1 reader${ch}`;
      }
    };
    expect(disagreements(lines())).toEqual([]);
  });
});
