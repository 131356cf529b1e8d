import { Buffer } from 'node:buffer';
import { lstatSync, readdirSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * The temporary files outputs are written into before they are put in place: hidden, beside the
 * output, named `.NAME.postdump-HOST-PID-RANDOM.tmp`. The name tells a later run what a run killed
 * without a chance to clean up (SIGKILL, a crash, a power cut) left behind: a file of this machine
 * whose process is gone. Each run removes those from the folders it writes into, once per folder;
 * no other file is touched, whatever its name.
 */

/** This machine, as 8 hex digits (FNV-1a of its name): a folder shared over the network may hold another machine's files, whose processes this one cannot see. */
let host: string | undefined;
function hostId(): string {
  // Made when first needed: node:os costs 0.7 ms of a start that writes no file (see src/cli/start.ts).
  host ??= fnv1a(hostname());
  return host;
}
const TEMPORARY = /^\.(.+)\.postdump-([0-9a-f]{8})-(\d+)-[0-9a-f]{8}\.tmp$/u;

/** Temporary files this thread is writing, removed if a signal ends the process first. */
const open = new Set<string>();
/** Folders whose strays this thread has removed already. */
const swept = new Set<string>();

/** A fresh temporary path for `path` (the exclusive create that opens it makes a clash an error, never a clobber). */
export function temporaryPath(path: string): string {
  const random = Math.floor(Math.random() * 0x1_0000_0000)
    .toString(16)
    .padStart(8, '0');
  return join(dirname(path), `${temporaryPrefix(path)}${random}.tmp`);
}

/** The start of the names of this process's temporary files for `path`. */
function temporaryPrefix(path: string): string {
  return `.${basename(path)}.postdump-${hostId()}-${process.pid}-`;
}

/** `path` is being written: a signal removes it. */
export function opened(path: string): void {
  open.add(path);
}

/** `path` is gone or in place. */
export function closed(path: string): void {
  open.delete(path);
}

/** Deletes every temporary file this thread has open; safe to call from a signal handler. */
export function removeTemporaries(): void {
  for (const path of open) removeFile(path);
  open.clear();
}

/**
 * Deletes the temporary files any thread of this process has open for `outputs` (convert's worker
 * threads keep their own, out of reach of the main thread's signal handler); safe to call from a
 * signal handler.
 */
export function removeTemporariesOf(outputs: Iterable<string>): void {
  for (const output of outputs) {
    const prefix = temporaryPrefix(output);
    for (const name of namesIn(dirname(output))) if (name.startsWith(prefix) && TEMPORARY.test(name)) removeFile(join(dirname(output), name));
  }
}

/**
 * Removes, once per folder and thread, the temporary files that runs of postdump on this machine
 * left in `dir` when they were killed: regular files named as above whose process is gone.
 */
export function removeStrays(dir: string): void {
  const key = resolve(dir);
  if (swept.has(key)) return;
  swept.add(key);
  for (const name of namesIn(dir)) {
    const m = TEMPORARY.exec(name);
    if (m === null || m[2] !== hostId()) continue;
    const pid = Number(m[3]);
    if (pid === process.pid || isAlive(pid)) continue;
    const path = join(dir, name);
    try {
      if (lstatSync(path).isFile()) unlinkSync(path);
    } catch {
      // Gone already (another run swept it), or not ours to remove.
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: alive, but another user's.
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function namesIn(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function removeFile(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}
