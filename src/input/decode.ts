import { Buffer, isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { inputError, usageError } from '../errors.js';

/** How much of an input auto-detection looks at before choosing an encoding. */
export const SNIFF_BYTES = 64 * 1024;

/** `auto`, or an encoding as `TextDecoder` names it (`utf-8`, `gb18030`, `utf-16le`, ...). */
export type Encoding = string;

// GBK, GB2312 and CP936 are subsets of GB18030; decoding them as GB18030 loses nothing.
const ALIASES: Record<string, string> = { gbk: 'gb18030', gb2312: 'gb18030', cp936: 'gb18030' };

/** Checks an encoding name up front, so a typo is a usage error before any input is read. */
export function resolveEncoding(name: string): Encoding {
  const lower = name.trim().toLowerCase();
  if (lower === 'auto') return 'auto';
  const label = ALIASES[lower] ?? lower;
  try {
    return new TextDecoder(label).encoding;
  } catch {
    throw usageError(`unknown encoding "${name}" (try auto, utf-8, gb18030, gbk, big5, utf-16le, utf-16be)`);
  }
}

/**
 * Turns an input's bytes, chunk by chunk, into UTF-8 without a BOM: the one form the parser reads.
 * UTF-8 input passes through after validation (no decode, no copy); other encodings are decoded by
 * the built-in `TextDecoder`, which handles characters split across chunks in every encoding.
 */
export class InputDecoder {
  private readonly source: string;
  private stage: Utf8Check | Transcoder | null = null;
  /** Chunks held while auto-detection waits for enough bytes. */
  private head: Buffer[] = [];
  private headBytes = 0;

  constructor(encoding: Encoding, source: string) {
    this.source = source;
    if (encoding !== 'auto') this.stage = makeStage(encoding, source);
  }

  /** The encoding in use, once known. */
  get encoding(): string | null {
    return this.stage?.encoding ?? null;
  }

  push(chunk: Uint8Array): Buffer[] {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.stage !== null) return this.stage.push(bytes);
    // Held across calls, so copied: the caller may reuse its chunk.
    this.head.push(Buffer.from(bytes));
    this.headBytes += bytes.length;
    return this.headBytes >= SNIFF_BYTES ? this.detect(false) : [];
  }

  end(): Buffer[] {
    const out = this.stage === null ? this.detect(true) : [];
    const stage = this.stage;
    return stage === null ? out : [...out, ...stage.end()];
  }

  private detect(atEnd: boolean): Buffer[] {
    const head = Buffer.concat(this.head);
    this.head = [];
    if (head.length === 0) return [];
    this.stage = makeStage(sniff(head, atEnd, this.source), this.source);
    return this.stage.push(head);
  }
}

/** BOM → strict UTF-8 → GB18030, on the first bytes of an input. */
function sniff(head: Buffer, atEnd: boolean, source: string): Encoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const nul = head.indexOf(0);
  if (nul !== -1) throw inputError('BINARY_INPUT', source, `NUL byte at offset ${nul}`);
  const complete = atEnd ? head.length : completeUtf8Length(head);
  if (isUtf8(head.subarray(0, complete))) return 'utf-8';
  try {
    new TextDecoder('gb18030', { fatal: true }).decode(head, { stream: !atEnd });
    return 'gb18030';
  } catch {
    throw inputError('UNDECODABLE', source, 'not valid UTF-8 or GB18030 text; name its encoding with --encoding');
  }
}

function makeStage(encoding: Encoding, source: string): Utf8Check | Transcoder {
  return encoding === 'utf-8' ? new Utf8Check(source) : new Transcoder(encoding, source);
}

/** UTF-8 in, the same bytes out: checks validity (simdutf, GBs per second) and drops a BOM. */
class Utf8Check {
  readonly encoding = 'utf-8';
  private readonly source: string;
  /** Bytes of a character cut by the chunk boundary. */
  private tail: Buffer | null = null;
  private offset = 0;
  private started = false;

  constructor(source: string) {
    this.source = source;
  }

  push(chunk: Buffer): Buffer[] {
    let bytes = this.tail === null ? chunk : Buffer.concat([this.tail, chunk]);
    this.tail = null;
    if (!this.started && bytes.length > 0) {
      if (bytes.length < 3 && bytes.every((b, i) => b === [0xef, 0xbb, 0xbf][i])) {
        this.tail = Buffer.from(bytes);
        return [];
      }
      this.started = true;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
        bytes = bytes.subarray(3);
        this.offset = 3;
      }
    }
    const complete = completeUtf8Length(bytes);
    if (complete < bytes.length) this.tail = Buffer.from(bytes.subarray(complete));
    const out = bytes.subarray(0, complete);
    this.check(out);
    return out.length > 0 ? [out] : [];
  }

  end(): Buffer[] {
    const tail = this.tail;
    this.tail = null;
    if (tail === null) return [];
    this.check(tail);
    return [tail];
  }

  private check(bytes: Buffer): void {
    if (!isUtf8(bytes)) {
      throw inputError('UNDECODABLE', this.source, `invalid UTF-8 at byte ${this.offset + firstInvalidUtf8(bytes)}; name the input's encoding with --encoding`);
    }
    this.offset += bytes.length;
  }
}

/** Any other encoding: decoded by `TextDecoder` in streaming mode, re-encoded as UTF-8. */
class Transcoder {
  readonly encoding: string;
  private readonly source: string;
  private readonly decoder: TextDecoder;
  private offset = 0;

  constructor(encoding: string, source: string) {
    this.encoding = encoding;
    this.source = source;
    this.decoder = new TextDecoder(encoding, { fatal: true });
  }

  push(chunk: Buffer): Buffer[] {
    return this.decode(chunk, true);
  }

  end(): Buffer[] {
    return this.decode(undefined, false);
  }

  private decode(chunk: Buffer | undefined, stream: boolean): Buffer[] {
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream });
    } catch {
      throw inputError('UNDECODABLE', this.source, `not valid ${this.encoding} near byte ${this.offset}; name the input's encoding with --encoding`);
    }
    this.offset += chunk?.length ?? 0;
    return text.length > 0 ? [Buffer.from(text, 'utf8')] : [];
  }
}

/** Length of `bytes` without a trailing, incomplete UTF-8 sequence (at most 3 bytes). */
function completeUtf8Length(bytes: Buffer): number {
  const n = bytes.length;
  for (let i = n - 1; i >= 0 && i >= n - 3; i--) {
    const b = bytes[i] ?? 0;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return n - i < need ? i : n;
  }
  return n;
}

/** Offset of the first byte that a lenient decode replaces: valid UTF-8 survives the round trip. */
function firstInvalidUtf8(bytes: Buffer): number {
  const again = Buffer.from(bytes.toString('utf8'), 'utf8');
  let i = 0;
  while (i < bytes.length && bytes[i] === again[i]) i++;
  return i;
}
