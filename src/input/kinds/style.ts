import { afterLead, CODE_COMMENTS } from '../lead.js';
import type { SkipKind } from '../kinds.js';

// An at-rule, or a first rule `selector { property:` with a plain selector: no `=`, quote or
// bracket, which text has more often than a style sheet's first rule.
const START =
  /^(?:@(?:charset|import|media|font-face|keyframes|supports|namespace|layer|page|-webkit-)|[#.:*\w-][\w \t\n\r#.:*,>+~()-]{0,200}\{[ \t\n\r]*[\w-]+[ \t\n\r]*:)/;

/** A style sheet (`.css`, or content that starts like one after its comments). */
export const styleKind: SkipKind<'style'> = {
  name: 'style',
  sniff(head) {
    const rest = afterLead(head.text, CODE_COMMENTS.slice(0, 1));
    if (rest === null) return head.final ? 'no' : 'wait';
    return START.test(rest) ? 'sure' : /\.(?:css|less|scss)$/.test(head.name) ? 'maybe' : 'no';
  },
  skip: () => ({ code: 'NOT_A_PAGE', args: { kind: 'style-sheet' } }),
};
