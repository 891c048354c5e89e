/**
 * The identities of a request, from `--identity type=value` or from a file (`--identity-file PATH`,
 * or `-` for standard input): on the command line a value is visible to every user of the machine
 * (`ps`) and kept in the shell's history; in a file or a pipe it is not.
 *
 * The file holds one `type=value` a line, as `--identity` takes them; blank lines and lines starting
 * with `#` are skipped (only whole lines: `#` may be part of an e-mail address). An error names the
 * file and the line, never the value.
 */
import { open } from 'node:fs/promises';
import { parseIdentities } from '../../../dsr/identity.js';
import { isOpendpoError, OpendpoError } from '../../../errors/opendpo-error.js';

/** A few identities of one person fit in far less; more is not an identity file. */
const MAX_FILE_BYTES = 64 * 1024;
const TYPE = /^[a-z][a-z0-9_]{0,63}$/;

export interface IdentityFlags {
  identity?: string[];
  identityFile?: string;
}

/** The identities of `--identity` and `--identity-file` together, each checked. */
export async function readIdentities(flags: IdentityFlags): Promise<Record<string, string>> {
  const given = flags.identity ?? [];
  if (flags.identityFile === undefined) {
    if (given.length === 0) throw new OpendpoError('INVALID_INPUT', 'give the person\'s identities: --identity-file FILE (one type=value a line; - for standard input), or --identity type=value');
  }
  for (const option of given) checkShape(option, '--identity');
  if (flags.identityFile === undefined) return parseIdentities(given);
  const where = flags.identityFile === '-' ? 'standard input' : flags.identityFile;
  const text = flags.identityFile === '-' ? await readStandardInput() : await readIdentityFile(flags.identityFile);
  const lines: string[] = [];
  const lineOfType = new Map<string, number>();
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const at = `${where}:${i + 1}`;
    const type = checkShape(line, at);
    const earlier = lineOfType.get(type);
    if (earlier !== undefined) throw new OpendpoError('INVALID_INPUT', `${at}: identity type "${type}" is already given at line ${earlier}: one value per type and request`);
    lineOfType.set(type, i + 1);
    try {
      parseIdentities([line]);
    } catch (err) {
      if (isOpendpoError(err)) throw new OpendpoError(err.code, `${at}: ${err.message}`);
      throw err;
    }
    lines.push(line);
  }
  if (lines.length === 0) throw new OpendpoError('INVALID_INPUT', `${where} holds no identity: write one type=value a line (e.g. email=jane@example.com)`);
  return parseIdentities([...given, ...lines]);
}

/**
 * `type=value` with a type as the datasets name them; the type of the identity, checked here so
 * that no message quotes what was given: a value typed where the type goes would be shown.
 */
function checkShape(text: string, at: string): string {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new OpendpoError('INVALID_INPUT', `${at}: write type=value (e.g. email=jane@example.com); no "=" comes after a type`);
  const type = text.slice(0, eq).trim();
  if (!TYPE.test(type)) throw new OpendpoError('INVALID_INPUT', `${at}: the identity type (before "=") must be lower-case letters, digits and _ (e.g. email, phone_number)`);
  return type;
}

async function readIdentityFile(file: string): Promise<string> {
  const refuse = (err: unknown): never => {
    const code = (err as NodeJS.ErrnoException).code;
    throw new OpendpoError('INVALID_INPUT', code === 'ENOENT' ? `--identity-file ${file} does not exist` : `cannot read --identity-file ${file} (${code ?? 'error'})`);
  };
  const handle = await open(file, 'r').catch(refuse);
  try {
    // At most one byte past the limit: a large file (or a device) is refused without reading it all.
    const buffer = Buffer.alloc(MAX_FILE_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length).catch(refuse);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) break;
    }
    return decode(buffer.subarray(0, length), file);
  } finally {
    await handle.close();
  }
}

async function readStandardInput(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('opendpo: reading the identities from standard input, one type=value a line; end with Ctrl-D\n');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FILE_BYTES) throw new OpendpoError('INVALID_INPUT', `standard input holds more than ${MAX_FILE_BYTES / 1024} KB: it is not a list of identities`);
    chunks.push(chunk);
  }
  return decode(Buffer.concat(chunks), 'standard input');
}

function decode(bytes: Buffer, where: string): string {
  if (bytes.length > MAX_FILE_BYTES) throw new OpendpoError('INVALID_INPUT', `${where} is larger than ${MAX_FILE_BYTES / 1024} KB: it is not a list of identities`);
  try {
    // A byte order mark, as some editors write, is not part of the first type.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new OpendpoError('INVALID_INPUT', `${where} is not UTF-8 text`);
  }
}
