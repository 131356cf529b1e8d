import { afterLead, CODE_COMMENTS } from '../lead.js';
import type { SkipKind } from '../kinds.js';

// How minified and plain scripts start (after their comments): a `/*!` licence comment, 'use strict',
// an IIFE (`(function`, `!function(`, `(() =>`, `(async`), a declaration, an import or export, or a
// browser global used. Every repeat is bounded, so a test costs at most a few hundred steps.
const START =
  /^(?:\/\*!|['"]use strict['"]|[!~+]?\(\s{0,8}(?:function\b|\(\s{0,8}\)\s{0,8}=>|async\b)|!function\s{0,8}\(|(?:var|let|const)\s{1,8}[\w$]{1,64}\s{0,8}=|function\s{0,8}[\w$]{0,64}\s{0,8}\(|(?:import|export)\s{1,8}(?:default\b|\{|\*|(?:const|let|var|function|class)\b)|(?:window|document|jQuery|define|self|globalThis)\s{0,8}[.(])/;

/** A script (`.js`, or content that starts like one). */
export const scriptKind: SkipKind<'script'> = {
  name: 'script',
  sniff(head) {
    const licence = head.text.replace(/^(?:\uFEFF|\xEF\xBB\xBF)?\s{0,64}/, '').startsWith('/*!');
    const rest = licence ? '/*!' : afterLead(head.text, CODE_COMMENTS);
    if (rest === null) return head.final ? 'no' : 'wait';
    return START.test(rest) ? 'sure' : /\.(?:m?js|cjs)$/.test(head.name) ? 'maybe' : 'no';
  },
  skip: () => ({ code: 'NOT_A_PAGE', args: { kind: 'script' } }),
};
