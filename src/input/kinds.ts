/**
 * What an input is, decided in one place: one list of layers (compression), one of containers
 * (archives) and one of input kinds, each entry a sniff over the input's first bytes (its name a
 * hint only) and a reader. `read-by-kind.ts` walks the lists: it peels the layers, opens the
 * containers, whose members are read like files, and reads the rest with the first kind that fits.
 *
 * To add a kind: write `kinds/NAME.ts` exporting an {@link InputKind} (a `sniff`; `read`, which turns
 * bytes into records through the shared parser, or `skip` for a kind that is recognised only to be
 * skipped), and add it to {@link KINDS}, before the kinds it must win over. `--input-type` and the
 * library's `inputType` offer it by its `name`.
 *
 * To add a container: write `containers/NAME.ts` exporting a {@link Container} (a `sniff`, and
 * `members`, which yields each member's name, path and bytes, and what the container knows of it:
 * the member's address, charset and kind), and add it to {@link CONTAINERS}. Members are named
 * `archive:path/inside` (`archive#OFFSET` for a web archive's record) in records and messages, and
 * read as if found in a folder.
 *
 * To add a layer: write `layers/NAME.ts` exporting a {@link Layer} and add it to {@link LAYERS}.
 */
import { gzipLayer } from './layers/gzip.js';
import { brotliLayer } from './layers/brotli.js';
import { tarContainer } from './containers/tar.js';
import { warcContainer } from './containers/warc.js';
import { mhtmlContainer } from './containers/mhtml.js';
import { binaryKind } from './kinds/binary.js';
import { pageKind } from './kinds/page.js';
import { feedKind } from './kinds/feed.js';
import { xmlKind } from './kinds/xml.js';
import { jsonKind } from './kinds/json.js';
import { robotsKind } from './kinds/robots.js';
import { styleKind } from './kinds/style.js';
import { scriptKind } from './kinds/script.js';
import { markdownKind } from './kinds/markdown.js';
import { textKind } from './kinds/text.js';
import type { Encoding } from './decode.js';
import type { BinaryFinding, Diagnostic, NotAPage } from '../types.js';
import { diagnostic } from '../diagnostics.js';
import type { BorrowedBatch } from '../borrowed.js';

/** Compression, peeled off before anything else, whatever the input turns out to be. */
export const LAYERS: readonly Layer[] = [gzipLayer, brotliLayer];

/** Archives whose members are read like files; tried before the layers (a `.warc.gz` is gzip the WARC reader undoes itself, record by record). */
export const CONTAINERS: readonly Container[] = [tarContainer, warcContainer, mhtmlContainer];

/**
 * The input kinds, in the order they are tried. The first kind whose sniff is `sure` is chosen; when
 * none is, the first that is `maybe` (a name that suggests it, content that does not contradict).
 * Text, which any text may be, is last.
 */
export const KINDS = [binaryKind, pageKind, feedKind, xmlKind, jsonKind, robotsKind, styleKind, scriptKind, markdownKind, textKind] as const;

/** What `--input-type` and `inputType` accept: `auto`, or the name of a kind that reads records. */
export type InputType = 'auto' | Extract<(typeof KINDS)[number], ReadKind>['name'];

/**
 * Whether a name is a text dump's (`.txt`, `.md`, compressed or not): a guess for choices that only
 * cost time when wrong (how many threads `convert --merge` starts), never for how an input is read.
 */
export function namedAsText(name: string): boolean {
  const plain = LAYERS.reduce((n, layer) => n.replace(layer.suffix, ''), name);
  return /\.(?:txt|md|markdown)$/i.test(plain) || plain === '-';
}

export const INPUT_TYPES: readonly InputType[] = ['auto', ...KINDS.flatMap((k): InputType[] => ('read' in k ? [k.name] : []))];

/**
 * A sniff's verdict: `sure` (the bytes show it), `maybe` (only the name suggests it, or the kind
 * takes any text), `no`, or `wait` (the bytes so far cannot tell; never said of a whole head).
 */
export type Verdict = 'sure' | 'maybe' | 'no' | 'wait';

/** What a sniff looks at. */
export interface Head {
  /** The input's first bytes (after its layers): up to `SNIFF_BYTES`, fewer only when `complete`. */
  readonly bytes: Buffer;
  /** Whether `bytes` are the whole input; once complete or full, no sniff may `wait`. */
  readonly final: boolean;
  /** The last segment of the input's name, lower-case, without a query string (`index.html?paged=2` → `index.html`): a hint only. */
  readonly name: string;
  /**
   * The bytes as text to match patterns against: decoded when the encoding is named or a UTF-16
   * BOM shows it, else each byte as one character (Latin-1), which is enough for ASCII syntax.
   */
  readonly text: string;
  /** The encoding the user named, or `auto`. */
  readonly encoding: Encoding;
}

/** How one input is read: what its kind's reader needs. */
export interface ReadContext {
  /** The input's name in records and messages. */
  source: string;
  /** `auto`, or the encoding to decode with (named by the user, or by the input's container). */
  encoding: Encoding;
  /** The document's address, when its container knows it (a web archive's record), else null. */
  url: string | null;
  /** The charset its container records (an HTTP `Content-Type`), else null: tried before the bytes' own. */
  charset: string | null;
  maxLineBytes?: number;
  maxPageBytes?: number;
  maxPageNodes?: number;
  report(d: Diagnostic): void;
}

/**
 * A kind's reader: bytes in, posts out as they complete. A post's `excerptUtf8` is valid until the
 * next `push` or `end`, which may reuse its memory.
 */
export interface KindReader {
  push(chunk: Buffer): BorrowedBatch;
  end(): BorrowedBatch;
}

interface KindBase<Name extends string> {
  /** Its name for `--input-type`, and in messages. */
  readonly name: Name;
  sniff(head: Head): Verdict;
}

/** A kind postdump reads records from. */
export interface ReadKind<Name extends string = string> extends KindBase<Name> {
  read(context: ReadContext): KindReader;
}

/** A kind recognised only to be skipped (met in a folder) or refused (named): images, styles, robots.txt, ... */
export interface SkipKind<Name extends string = string> extends KindBase<Name> {
  /** What the input is (a robots.txt), and the code a named input fails with. */
  skip(head: Head): Skip;
}

/** Why an input is skipped (met) or refused (named). */
export type Skip = { code: 'NOT_A_PAGE'; args: NotAPage } | { code: 'BINARY_INPUT'; args: BinaryFinding };

/** The note on a skipped input met in a folder or an archive, or the error of one named. */
export function skipped(skip: Skip, found: boolean, source: string): Diagnostic {
  if (found) return diagnostic('NOT_A_PAGE', 'info', source, skip.code === 'BINARY_INPUT' ? { binary: skip.args } : skip.args);
  return skip.code === 'BINARY_INPUT' ? diagnostic('BINARY_INPUT', 'error', source, skip.args) : diagnostic('NOT_A_PAGE', 'error', source, skip.args);
}

export type InputKind = ReadKind | SkipKind;

/** A compression layer: recognised by its first bytes or its name, undone as a stream. */
export interface Layer {
  readonly name: string;
  sniff(head: Head): boolean;
  /** Whether the input's name ends in this layer's suffix (`.gz`): output names drop it. */
  readonly suffix: RegExp;
  /** The decompressed bytes; `chunks` may be reused by their producer once the next one is asked for. */
  open(chunks: AsyncIterable<Uint8Array>, source: string): AsyncIterable<Buffer>;
}

/** One member of a container. */
export interface Member {
  /** What follows the archive's name in records and messages: `:path/inside`, or a web archive record's `#OFFSET`. */
  name: string;
  /** Its path inside the container (a web archive's record: its address), whose last segment is a hint of its kind. */
  path: string;
  /** Its bytes; to be read (or left) before the next member is asked for. */
  chunks: AsyncIterable<Buffer>;
  /** The member's address, if the container records it (a web archive's target URI). */
  url: string | null;
  /** The member's charset, if the container records it (an HTTP `Content-Type`). */
  charset: string | null;
  /** Why the member is not content to read (a link, a directory), or null for a file. */
  notFile: NotAPage | null;
  /** The kind the container records for it (an HTTP `Content-Type: text/html`), read as that unless `--input-type` says otherwise; null to tell by its bytes. */
  inputType: InputType | null;
}

/** An archive: recognised by its first bytes, its members streamed one after the other. */
export interface Container {
  readonly name: string;
  /** What it is, in messages: `a tar archive`. */
  readonly what: string;
  /**
   * `files`: its members are files (a tar archive), each counted in a run's summary as a file found
   * in a folder is; `records`: captures of one crawl or snapshot (WARC, MHTML), which the container
   * lists and counts itself (`ARCHIVE_RECORD`, `ARCHIVE_RECORDS`), the archive counted as one file.
   */
  readonly membersAre: 'files' | 'records';
  sniff(head: Head): boolean;
  /**
   * The members in archive order; a damaged archive throws after the members before the damage, or
   * reports the damage and goes on. `report` takes what the container finds (records it skips).
   */
  members(chunks: AsyncIterable<Uint8Array>, source: string, report: (d: Diagnostic) => void): AsyncIterable<Member>;
}
