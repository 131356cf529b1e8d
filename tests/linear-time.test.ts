/**
 * Every input in linear time (SPEC §9): on generated worst cases, the work for an input of size 2n
 * is at most about 2.5 × the work for size n (see `helpers/linear-time.ts`; a quadratic scan gives 4).
 */
import { describe, expect, it } from 'vitest';
import { parse } from '../src/api.js';
import { parseHeader } from '../src/parse/header.js';
import { growth, type Workload } from './helpers/linear-time.js';

const LIMIT = 2.5;

/** A workload over a string of about n characters. */
const onText = (make: (n: number) => string, run: (text: string) => unknown): Workload<string> => ({ make, run });

const spaces = (n: number): string => ' '.repeat(n);

const HEADER_CASES: Record<string, Workload<string>> = {
  '`By` and spaces, no bar': onText((n) => `By${spaces(n)}`, parseHeader),
  '`By a |` and spaces': onText((n) => `By a |${spaces(n)}`, parseHeader),
  '`By a | b |` and spaces': onText((n) => `By a | b |${spaces(n)}`, parseHeader),
  'a count field of `reader`s that are no word': onText((n) => `By a | b | ${'readerss '.repeat(n / 9)}`, parseHeader),
  'a bar, then digits and spaces before 位读': onText((n) => `|${'1 '.repeat(n / 2)}位读`, parseHeader),
  'a bar, then 位读者 without a digit before it': onText((n) => `|${' 位读者'.repeat(n / 4)}`, parseHeader),
  'a dump line of `By` and spaces (the engine reads long lines whole)': onText(
    (n) => `T\nBy${spaces(n)}\n`,
    (text) => parse(text),
  ),
  'a dump line of `By a |` and spaces': onText(
    (n) => `T\nBy a |${spaces(n)}\n`,
    (text) => parse(text),
  ),
};

describe('the header grammar', () => {
  it.each(Object.entries(HEADER_CASES))('%s', (_name, workload) => {
    const g = growth(workload, { limit: LIMIT });
    expect(g.ratio, `n = ${g.n}: ${g.ms[0].toFixed(2)} ms, 2n: ${g.ms[1].toFixed(2)} ms`).toBeLessThanOrEqual(LIMIT);
  });
});
