/** A command's whole output on stdout (schema, stats, check). */
import { Buffer } from 'node:buffer';
import { OutputClosedError } from '../errors.js';
import { type ByteStream, StreamSink } from '../output/stream.js';

/** Writes `text` to stdout; a reader that went away (`| head -1`) ends it quietly. */
export async function writeOutput(stdout: ByteStream, text: string): Promise<void> {
  const sink = new StreamSink(stdout);
  try {
    await sink.write(Buffer.from(text, 'utf8'));
    await sink.close();
  } catch (e) {
    if (!(e instanceof OutputClosedError)) throw e;
  }
}
