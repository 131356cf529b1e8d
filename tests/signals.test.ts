/**
 * A signal stops a run however busy it is (issue 16): the main thread gives the event loop a turn
 * between pieces of work, so SIGTERM and SIGINT end the process within a bounded time, by the
 * signal (a shell reports 128 + its number), with no output put in place and no temporary file left.
 * The runs are made long (a gigabyte of text, twenty large pages) so that the bound means something.
 */
import { linkSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedPath, startCli } from './helpers/cli.js';
import { temporaryFolders } from './helpers/workspace.js';

const tempDir = temporaryFolders('signals');

/** `names` hard links to one file of `bytes`: many inputs to read at the cost of one on disk. */
function inputs(dir: string, bytes: Uint8Array, names: string[]): void {
  const [first, ...rest] = names as [string, ...string[]];
  writeFileSync(join(dir, first), bytes);
  for (const name of rest) linkSync(join(dir, first), join(dir, name));
}

interface Ended {
  /** What a shell would report: 128 + the signal's number for a signal death. */
  status: number;
  /** Milliseconds from the signal to the end of the process. */
  latency: number;
  stderr: string;
}

/** Starts `postdump ARGS` in `dir`, sends `signal` once it has worked `afterMs`, and waits for its end. */
async function interrupt(dir: string, args: string[], signal: NodeJS.Signals, afterMs: number): Promise<Ended> {
  const child = startCli(args, { cwd: dir });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdout?.resume();
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('exit', (code, sig) => resolve({ code, signal: sig, at: performance.now() })),
  );
  await new Promise((resolve) => setTimeout(resolve, afterMs));
  expect(child.exitCode, `the run ended before the signal: ${stderr}`).toBeNull();
  const sent = performance.now();
  child.kill(signal);
  const end = await ended;
  return { status: end.signal === null ? (end.code ?? -1) : 128 + constants.signals[end.signal], latency: end.at - sent, stderr };
}

/** A dump of about 8 MB: the seed, over and over. */
const bigDump = (): Buffer => Buffer.concat(Array.from({ length: 1000 }, () => readFileSync(seedPath)));

/** A listing page of about 4 MB: 20,000 posts. */
function bigPage(): string {
  const post = (i: number) =>
    `<div class="Post"><h2><a href="/archives/${i}">标题 ${i}</a></h2><span class="submitted">By 苏剑林 | 2021-01-22 | ${i}位读者 | <a href="#">引用</a></span>` +
    `<div class="PostContent"><p>第一段,有<b>粗体</b>和$\\mathcal{O}(n^2)$。</p><p>第二段。</p></div></div>\n`;
  return `<!DOCTYPE html><html><body>\n${Array.from({ length: 20_000 }, (_, i) => post(i)).join('')}</body></html>\n`;
}

describe('a signal ends a busy run', () => {
  it('SIGTERM while parse -o reads a gigabyte of text: status 143 within seconds, no output, no temporary file', async () => {
    const dir = tempDir();
    const names = Array.from({ length: 120 }, (_, i) => `dump-${i}.txt`);
    inputs(dir, bigDump(), names);
    const r = await interrupt(dir, ['parse', ...names, '-o', 'out.jsonl'], 'SIGTERM', 1500);
    expect(r.status).toBe(143);
    // The whole run takes ten seconds and more; the bound is generous for a loaded machine.
    expect(r.latency).toBeLessThan(5000);
    expect(readdirSync(dir).filter((n) => !names.includes(n))).toEqual([]);
  }, 60_000);

  it('SIGINT (Ctrl-C) while convert --jobs 1 reads large pages: status 130 within seconds, only finished outputs, no temporary file', async () => {
    const dir = tempDir();
    const names = Array.from({ length: 20 }, (_, i) => `page-${i}.html`);
    inputs(dir, Buffer.from(bigPage()), names);
    const r = await interrupt(dir, ['convert', ...names, '--out-dir', 'out', '--jobs', '1'], 'SIGINT', 1500);
    expect(r.status).toBe(130);
    expect(r.latency).toBeLessThan(5000);
    const left = readdirSync(join(dir, 'out'));
    expect(left.length).toBeLessThan(names.length);
    for (const name of left) expect(name).toMatch(/^page-\d+\.json$/u);
  }, 60_000);
});
