/**
 * Rules about the code of `src/` that a reviewer could miss, checked on its syntax tree
 * (`helpers/source-scan.ts`):
 *
 * - no regular expression that backtracks super-linearly on the attack strings that recheck (a ReDoS
 *   checker) builds for it: each is timed at sizes n and 2n, as `linear-time.test.ts` times its own
 *   worst cases. recheck's verdict alone is not enough: for a pattern with a lookbehind it fuzzes,
 *   and on a busy machine it once called `(?<!\s)\s*[\r\n]\s*` vulnerable on a string that V8 scans
 *   in linear time;
 * - no spread into a call's arguments (`push(...xs)`, `Math.max(...xs)`): each element is one
 *   argument on the stack, and about 125,000 of them overflow it.
 */
import { type AttackPattern, checkSync } from 'recheck';
import { describe, expect, it } from 'vitest';
import { growth, searchAll } from './helpers/linear-time.js';
import { regexesInSource, spreadArgumentsInSource } from './helpers/source-scan.js';

/** recheck's attack string, its pumped parts repeated to about n characters in all. */
const attackOfSize =
  (attack: AttackPattern) =>
  (n: number): string =>
    attack.pumps.map((p) => p.prefix + p.pump.repeat(Math.max(1, Math.ceil(n / attack.pumps.length / Math.max(1, p.pump.length))))).join('') + attack.suffix;

describe('src/', () => {
  it('has no regular expression that is super-linear on recheck’s attack strings', () => {
    const slow = [];
    for (const s of regexesInSource()) {
      if (s.regex === null) continue;
      const result = checkSync(s.regex.source, s.regex.flags, { randomSeed: 1, timeout: 10_000 });
      if (result.status !== 'vulnerable') continue;
      // Exponential backtracking is not timed: a few dozen characters of it take hours.
      if (result.complexity.type === 'exponential') {
        slow.push(`${s.file}:${s.line}: ${s.text}: exponential on ${result.attack.pattern}`);
        continue;
      }
      const g = growth({ make: attackOfSize(result.attack), run: searchAll(s.regex) });
      if (g.ratio > 2.5) slow.push(`${s.file}:${s.line}: ${s.text} on ${result.attack.pattern}: ${g.ratio.toFixed(1)} × from n = ${g.n} to 2n`);
    }
    expect(slow).toEqual([]);
  }, 120_000);

  it('spreads no array into a call', () => {
    expect(spreadArgumentsInSource().map((s) => `${s.file}: ${s.text}`)).toEqual([]);
  });
});
