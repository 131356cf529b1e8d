/**
 * The tokenizer that skips runs of text with `indexOf` (src/input/html-tokenizer.ts) gives
 * htmlparser2's Parser the same events as htmlparser2's own Tokenizer, whatever the markup and
 * however the text is cut into chunks.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { type Handler, Parser, Tokenizer } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { skippingTokenizer } from '../src/input/html-tokenizer.js';

const SkippingTokenizer = skippingTokenizer(Tokenizer);

/** Every event the Parser hands its handler, with where it says it is, for text written in these chunks. */
function events(chunks: readonly string[], tokenizer?: typeof Tokenizer): string[] {
  const seen: string[] = [];
  let parser: Parser | null = null;
  const handler = new Proxy({} as Partial<Handler>, {
    get: (_target, name) =>
      name === 'onparserinit'
        ? (p: Parser) => {
            parser = p;
          }
        : (...args: unknown[]) => seen.push(`${String(name)} ${JSON.stringify(args)} ${parser?.startIndex}-${parser?.endIndex}`),
  });
  const p = new Parser(handler, tokenizer === undefined ? {} : { Tokenizer: tokenizer });
  for (const chunk of chunks) p.write(chunk);
  p.end();
  return seen;
}

const same = (chunks: readonly string[]): void => expect(events(chunks, SkippingTokenizer)).toEqual(events(chunks));

/** The text cut at these offsets. */
const cut = (text: string, at: readonly number[]): string[] => {
  const offsets = [...new Set(at.map((a) => a % (text.length + 1)))].sort((a, b) => a - b);
  return [...offsets, text.length].map((end, i) => text.slice(i === 0 ? 0 : offsets[i - 1], end));
};

describe('the skipping tokenizer', () => {
  const pages = ['fixtures/html', 'fixtures/fuzz'].flatMap((dir) =>
    readdirSync(dir)
      .filter((name) => name.endsWith('.html'))
      .map((name) => `${dir}/${name}`),
  );

  it.each(pages)("tokenizes %s as htmlparser2's does, whole and in chunks of 1,000", (path) => {
    const html = readFileSync(path, 'utf8');
    same([html]);
    same(
      cut(
        html,
        Array.from({ length: Math.ceil(html.length / 1000) }, (_, i) => i * 1000),
      ),
    );
  });

  it.each([
    'a &amp; b &unknown; c &#x41; &#65 d & e',
    '<a title="x &amp; y" alt=\'&lt;\' data-x=a&amp;b class="">t</a>',
    '<p a="unclosed><b>x</b>',
    "<p a='unclosed><b>x</b>",
    '<!-- a -- b --><!---><!--->--><![CDATA[x]]><!doctype html><?pi x?></ closed>',
    '<script>if (a < b && c) { s = "</scr" + "ipt>" }</script><style>a > b {}</style><title>a &amp; b</title>',
    '<textarea>&lt;x&gt; </textarea ><xmp><b></xmp>x',
    'text at the end without a tag',
    '<p>text at the end &amp',
    '< p>a <3 b <> c</>',
  ])('tokenizes %j as htmlparser2 does, in any two chunks', (html) => {
    for (let i = 0; i <= html.length; i++) same([html.slice(0, i), html.slice(i)]);
  });

  it('tokenizes markup made of the characters that matter as htmlparser2 does, however it is cut', () => {
    const unit = fc.constantFrom('<', '>', '&', '"', "'", '=', '/', '!', '-', '?', ' ', '\n', 'a', 'p', 'b', 'amp;', 'script', 'title', '文', '#x41;');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 80 }), fc.array(fc.nat(), { maxLength: 4 }), (html, at) => {
        same(cut(html, at));
      }),
      { numRuns: 3000 },
    );
  });
});
