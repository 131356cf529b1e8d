/**
 * Rules about the code of `src/` that a reviewer could miss, checked on its syntax tree
 * (`helpers/source-scan.ts`):
 *
 * - no regular expression that backtracks super-linearly, as recheck (a ReDoS checker that builds
 *   attack strings) finds it; `linear-time.test.ts` times each on worst cases of its own;
 * - no spread into a call's arguments (`push(...xs)`, `Math.max(...xs)`): each element is one
 *   argument on the stack, and about 125,000 of them overflow it.
 */
import { checkSync } from 'recheck';
import { describe, expect, it } from 'vitest';
import { regexesInSource, spreadArgumentsInSource } from './helpers/source-scan.js';

describe('src/', () => {
  it('has no regular expression that recheck finds super-linear', () => {
    const unsafe = [];
    for (const s of regexesInSource()) {
      if (s.regex === null) continue;
      // A fixed seed for recheck's fuzzer, which it uses for patterns with lookbehind.
      const result = checkSync(s.regex.source, s.regex.flags, { randomSeed: 1, timeout: 10_000 });
      if (result.status !== 'safe') unsafe.push(`${s.file}:${s.line}: ${s.text}: ${result.status}${'attack' in result ? ` on ${result.attack.pattern}` : ''}`);
    }
    expect(unsafe).toEqual([]);
  }, 120_000);

  it('spreads no array into a call', () => {
    // The folder walk, being rewritten for issue 13 (input kinds), which removes this spread.
    const known = ['src/cli/inputs.ts: found.push(...(await walk(path)))'];
    const spreads = spreadArgumentsInSource()
      .map((s) => `${s.file}: ${s.text}`)
      .filter((s) => !known.includes(s));
    expect(spreads).toEqual([]);
  });
});
