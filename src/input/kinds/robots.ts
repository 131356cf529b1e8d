import type { SkipKind } from '../kinds.js';

const DIRECTIVE = /^[ \t]*(?:user-agent|disallow|allow|sitemap|crawl-delay|host|request-rate|visit-time|clean-param|noindex)[ \t]*:/i;
const COMMENT = /^[ \t]*(?:#.*)?$/;

/** A crawler's `robots.txt`: every line a directive (`User-agent:`, `Disallow:`, ...) or a comment. */
export const robotsKind: SkipKind<'robots'> = {
  name: 'robots',
  sniff(head) {
    const lines = head.text.split(/\r\n?|\n/);
    // The last line may be cut off, unless the head is the whole input.
    if (!head.final || lines.length > 1) lines.pop();
    let directives = 0;
    for (const line of lines) {
      if (DIRECTIVE.test(line)) directives++;
      else if (!COMMENT.test(line)) return 'no';
    }
    if (directives > 0) return 'sure';
    return head.final ? 'no' : 'wait';
  },
  skip: () => ({ code: 'NOT_A_PAGE', args: { kind: 'robots' } }),
};
