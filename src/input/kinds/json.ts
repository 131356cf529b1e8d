import { afterLead } from '../lead.js';
import type { SkipKind } from '../kinds.js';

// The start of an object with a key, or of an array of objects or arrays: not `[1] 科学空间` (a lynx dump's link number).
const START = /^(?:\{[ \t\n\r]*"[^"\n]{0,256}"[ \t\n\r]*:|\[[ \t\n\r]*[{[])/;

/** JSON data (an API's answer kept by a mirror, or postdump's own output): a whole input that parses, or a start no text has. */
export const jsonKind: SkipKind<'json'> = {
  name: 'json',
  sniff(head) {
    const text = afterLead(head.text, []) ?? '';
    if (
      START.test(text) ||
      (head.final && head.bytes.length < 1 << 16 && (text.startsWith('{') || text.startsWith('[')) && parses(head.bytes.toString('utf8')))
    )
      return 'sure';
    return /\.(?:json|jsonl|ndjson|map)$/.test(head.name) ? 'maybe' : 'no';
  },
  skip: () => ({ code: 'NOT_A_PAGE', args: { kind: 'json' } }),
};

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
