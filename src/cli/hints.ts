import { describe } from '../diagnostics.js';
import type { Diagnostic } from '../types.js';

/**
 * A diagnostic's message as the command line prints it: the words of {@link describe}, and advice
 * in terms of the command line's flags (the library's messages name its options instead).
 */
export function cliMessage(d: Diagnostic): string {
  return describe(d) + cliAdvice(d);
}

function cliAdvice(d: Diagnostic): string {
  switch (d.code) {
    case 'UNDECODABLE':
      return 'declared' in d.args ? '; name its encoding with --encoding, e.g. --encoding big5' : "; name the input's encoding with --encoding";
    case 'PAGE_TOO_LARGE':
      return ' (--input-type text reads it as a text dump)';
    case 'OUTPUT_EXISTS':
      return ' (use --force to overwrite)';
    case 'OUTPUT_LINK':
      return ' (add --write-through-links to write there)';
    default:
      return '';
  }
}

/** A short suggestion of what to do about a diagnostic (`postdump check` prints one under each). */
export function hint(d: Diagnostic): string {
  switch (d.code) {
    case 'BROKEN_HEADER':
      return 'a header reads "By <author> | YYYY-MM-DD | N位读者 | ..."; prose can stay as it is';
    case 'NO_TITLE':
      return 'put the post title on a line of its own above the header';
    case 'SKIPPED_NOISE':
      return 'page chrome or sidebar, belongs to no post; nothing to do unless a post is missing';
    case 'SKIPPED_POST':
      return 'the saved page lacks this post’s title link or meta line; save the page again, whole';
    case 'HTML_PAGE':
      return 'how the page was read; --input-type text reads it as a text dump instead';
    case 'TEXT_LAYOUT':
      return "the renderer's decoration (link numbers, indentation, Markdown marks) is stripped from titles, headers and excerpts";
    case 'ARCHIVE_RECORD':
      return 'a web archive holds requests, images and other records beside its pages: only pages (HTTP 200, text/html) are read';
    case 'ARCHIVE_RECORDS':
      return 'what the web archive held; -v lists each record with its offset and address';
    case 'NO_POSTS':
      return 'is this a copied kexue.fm listing? each post needs a title line, then its header line';
    case 'EMPTY_INPUT':
      return 'paste the text of a listing page into the file';
    case 'BINARY_INPUT':
      return 'give the text copied from the page, or the saved page itself';
    case 'NOT_A_PAGE':
      return 'give a text dump or a saved page; met in a folder or an archive, such files are skipped (--input-type reads them anyway)';
    case 'CORRUPT_INPUT':
      return 'the file is damaged or cut short: fetch or pack it again';
    case 'LINE_TOO_LONG':
      return 'give a text dump: a listing has one post header per line';
    case 'PAGE_TOO_LARGE':
      return 'give a saved page, or read it as text with --input-type text';
    case 'UNDECODABLE':
      return 'name the encoding with --encoding (gb18030, big5, utf-16le, ...)';
    case 'INPUT_NOT_FOUND':
      return 'check the path (quote globs so that postdump expands them)';
    case 'INPUT_IS_DIRECTORY':
      return 'name the files in it, or use postdump convert, which reads folders';
    case 'INPUT_UNREADABLE':
      return 'check the file permissions';
    case 'INPUT_NO_MATCH':
      return 'folders and globs give the files in them that are text dumps or pages, whatever their names; check the path and --exclude';
    case 'PAGE_RESOURCE':
      return 'the scripts, styles, images and frames a browser saves with a page; the page itself is read';
    case 'EXCLUDED':
      return 'drop the --exclude pattern to read it';
    case 'HIDDEN':
      return 'name a hidden file on the command line to read it';
    case 'LINK_NOT_FOLLOWED':
      return 'name the folder it points to, to read it';
    case 'UP_TO_DATE':
      return 'drop --skip-existing or --update (or use --force) to convert it again';
    case 'OUTPUT_EXISTS':
      return 'add --force to overwrite it, or choose another output';
    case 'OUTPUT_IS_INPUT':
      return 'choose an output path that is not one of the inputs';
    case 'OUTPUT_UNWRITABLE':
      return 'check that the folder exists, is writable and has room';
    case 'OUTPUT_LINK':
      return 'convert writes into real folders below --out-dir: replace the link by a folder, or add --write-through-links';
    case 'OUT_OF_MEMORY':
      return 'select fewer posts (--since, --until, --author, --limit), or let Node use more: NODE_OPTIONS=--max-old-space-size=MiB';
    case 'USAGE':
      return 'see postdump --help';
  }
}
