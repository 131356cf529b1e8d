import { createRequire } from 'node:module';
import { TextDecoder } from 'node:util';
import type Iconv from 'iconv-lite';
import { resolveEncoding } from '../../src/input/decode.js';

export const iconv = createRequire(import.meta.url)('iconv-lite') as typeof Iconv;

/** The Encoding Standard's encodings: the labels the built-in decoder is meant to know. */
const WHATWG = [
  'utf-8',
  'ibm866',
  'iso-8859-2',
  'iso-8859-3',
  'iso-8859-4',
  'iso-8859-5',
  'iso-8859-6',
  'iso-8859-7',
  'iso-8859-8',
  'iso-8859-8-i',
  'iso-8859-10',
  'iso-8859-13',
  'iso-8859-14',
  'iso-8859-15',
  'iso-8859-16',
  'koi8-r',
  'koi8-u',
  'macintosh',
  'windows-874',
  'windows-1250',
  'windows-1251',
  'windows-1252',
  'windows-1253',
  'windows-1254',
  'windows-1255',
  'windows-1256',
  'windows-1257',
  'windows-1258',
  'x-mac-cyrillic',
  'gbk',
  'gb18030',
  'big5',
  'euc-jp',
  'shift_jis',
  'euc-kr',
  'utf-16be',
  'utf-16le',
];
const REFUSED = ['base64', 'hex', 'utf7', 'utf7imap'];

/** Every codec iconv-lite has (aliases left out), as iconv-lite names it. */
function iconvCodecs(): string[] {
  iconv.getCodec('utf8');
  const table = (iconv as unknown as { encodings: Record<string, unknown> }).encodings;
  return Object.keys(table).filter((name) => !name.startsWith('_') && typeof table[name] !== 'string' && !REFUSED.includes(name));
}

/** Every encoding postdump decodes that iconv-lite can also encode (iso-2022-jp, which it cannot, is tested on its own). */
export const ENCODINGS: readonly string[] = [...new Set([...WHATWG, ...iconvCodecs()])];

/** iconv-lite's name for an encoding, to write test bytes with (it lacks the label x-mac-cyrillic). */
export function encoderName(encoding: string): string {
  return encoding === 'x-mac-cyrillic' ? 'maccyrillic' : encoding;
}

function isBuiltIn(encoding: string): boolean {
  try {
    new TextDecoder(encoding);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a character survives being written in an encoding and read back by the decoder postdump
 * uses for it (the built-in one, or iconv-lite's): the characters a test may put in such bytes.
 */
export function representable(encoding: string): (ch: string) => boolean {
  const resolved = resolveEncoding(encoding);
  const builtIn = isBuiltIn(resolved);
  const decode = (bytes: Buffer): string => (builtIn ? new TextDecoder(resolved).decode(bytes) : iconv.decode(bytes, resolved));
  const name = encoderName(encoding);
  const known = new Map<string, boolean>();
  return (ch) => {
    let ok = known.get(ch);
    if (ok === undefined) {
      const bytes = iconv.encode(ch, name);
      ok = bytes.length > 0 && decode(bytes) === ch;
      known.set(ch, ok);
    }
    return ok;
  };
}
