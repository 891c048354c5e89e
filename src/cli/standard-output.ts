/**
 * Standard output and error as a Unix tool treats them: a reader that stops reading
 * (`opendpo dsr list | head -1`) ends the output, quietly. Node ignores SIGPIPE, so a write to a
 * closed pipe fails with EPIPE, and an `error` event nobody listens to is a crash with a stack
 * trace; here it is the end of the output, and the command finishes with its own exit status.
 *
 * A request's package written to standard output is not "shown": it is handed over, so that write
 * is awaited (`writeStandardOutput`) and a closed output fails the request instead of completing it.
 */
import { OpendpoError } from '../errors/opendpo-error.js';

/** Codes a write gets when the reading end is gone. */
const CLOSED = new Set(['EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED']);

const isClosed = (err: unknown): boolean => CLOSED.has((err as NodeJS.ErrnoException | undefined)?.code ?? '');

/** Awaited writes in progress: their failure is reported by the command itself. */
let awaited = 0;

/**
 * Installed once by the `opendpo` command: a closed standard output or error ends that output,
 * without a stack trace; any other failure to write is reported as the error it is.
 */
export function endOutputQuietlyWhenClosed(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err) => {
      if (isClosed(err) || awaited > 0) return;
      // Not a closed reader (a full disk behind a redirection, say): said once, on whatever still writes.
      process.exitCode = new OpendpoError('OUTPUT_FAILED', '').exitCode;
      process.stderr.write(`opendpo: cannot write to standard ${stream === process.stdout ? 'output' : 'error'} (${(err as NodeJS.ErrnoException).code ?? 'error'})\n`, () => {});
    });
  }
}

/**
 * Writes `content` to standard output and resolves once it is handed to the system; rejects with
 * OUTPUT_FAILED when the output is closed or cannot be written. For what must arrive whole.
 */
export function writeStandardOutput(content: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (err: unknown) =>
      reject(
        new OpendpoError(
          'OUTPUT_FAILED',
          isClosed(err)
            ? 'standard output was closed before everything was written'
            : `cannot write to standard output (${(err as NodeJS.ErrnoException | undefined)?.code ?? 'error'})`,
          undefined,
          { cause: err },
        ),
      );
    if (process.stdout.destroyed || process.stdout.writableEnded) {
      fail(Object.assign(new Error('standard output is closed'), { code: 'ERR_STREAM_DESTROYED' }));
      return;
    }
    awaited++;
    process.stdout.write(content, (err) => {
      awaited--;
      if (err) fail(err);
      else resolve();
    });
  });
}
