/**
 * A log stream for an app under test: each line the server logs is pushed to `lines` (pino writes a
 * line a chunk), for tests that read what was logged — never a person's values, keys or codes.
 */
import { Writable } from 'node:stream';

export function logInto(lines: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
}
