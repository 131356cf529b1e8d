import { Buffer } from 'node:buffer';
import { once } from 'node:events';
import type { ReadEntry } from 'tar';
import { inputError } from '../../errors.js';
import type { NotAPage } from '../../types.js';
import type { Container, Member } from '../kinds.js';

/**
 * A tar archive (POSIX ustar, GNU and pax: `ustar` at offset 257), read by node-tar's streaming
 * `Parser`: npm's own tar reader, a parser with no file system in it (this code never unpacks), and
 * fewer dependencies than tar-stream, whose current release brings in Bare's file system modules.
 */
export const tarContainer: Container = {
  name: 'tar',
  what: 'a tar archive',
  membersAre: 'files',
  sniff: (head) => head.bytes.length >= 262 && head.bytes.toString('latin1', 257, 262) === 'ustar',
  members: tarMembers,
};

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);

/** The members in archive order, one at a time: the parser takes more bytes only as members are read. */
async function* tarMembers(chunks: AsyncIterable<Uint8Array>, source: string): AsyncGenerator<Member> {
  // Loaded only for an archive.
  const { Parser } = await import('tar');
  // Strict: a bad header or a cut-off archive is an error, not a warning.
  const parser = new Parser({ strict: true, brotli: false, zstd: false });
  const entries: ReadEntry[] = [];
  let failure: unknown = null;
  let ended = false;
  let stopped = false;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    wake?.();
    wake = null;
  };
  parser.on('entry', (entry: ReadEntry) => {
    entries.push(entry);
    notify();
  });
  parser.on('error', (e: unknown) => {
    failure ??= e;
    notify();
  });
  parser.on('end', () => {
    ended = true;
    notify();
  });
  // Writes the archive's bytes as fast as the parser takes them (it stops taking while a member is unread).
  const pump = (async () => {
    for await (const chunk of chunks) {
      if (stopped || failure !== null) return;
      // Copied: the parser hands out pieces of its chunks as member data, and the producer reuses them.
      if (!parser.write(Buffer.from(chunk))) await Promise.race([once(parser, 'drain'), once(parser, 'stop')]);
    }
    if (!stopped) parser.end();
  })().catch((e: unknown) => {
    failure ??= e;
    notify();
  });
  try {
    for (;;) {
      const entry = entries.shift();
      if (entry !== undefined) {
        if (entry.type !== 'Directory') yield member(entry);
        // Whatever of the member its reader left, so the parser moves on.
        entry.resume();
        continue;
      }
      if (failure !== null) throw damaged(failure, source);
      if (ended) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    stopped = true;
    parser.emit('stop');
    await pump;
  }
}

function member(entry: ReadEntry): Member {
  const notFile: NotAPage | null = FILE_TYPES.has(entry.type)
    ? null
    : entry.type === 'SymbolicLink' || entry.type === 'Link'
      ? { kind: 'link', target: entry.linkpath ?? null }
      : { kind: 'entry', type: entry.type };
  return { name: `:${entry.path}`, path: entry.path, chunks: entry as AsyncIterable<Buffer>, url: null, charset: null, notFile, inputType: null };
}

function damaged(e: unknown, source: string) {
  const message = (e instanceof Error ? e.message : String(e)).replace(/^TAR_[A-Z_]+: /, '');
  return inputError('CORRUPT_INPUT', source, { what: 'tar', fault: 'damaged', libraryMessage: message });
}
