/**
 * The files commands write (`--out`, `--output`): checked before any work is done, in the format
 * their name says, never replacing a file without `--force`, and written whole or not at all.
 *
 * - The check comes first: a folder that does not exist or cannot be written, or a file already
 *   there, is refused before a register is read or a request is run (a request that ran and whose
 *   package could not be written is a request done for nothing, and one the person never received).
 * - The format follows `--format` or the file's extension; an extension that says another format,
 *   or none opendpo writes, is refused with the ones it writes (`--out x.pdf` is not JSON).
 * - The content goes to a temporary file in the same folder, flushed to disk, then takes the
 *   file's name in one step (rename; a hard link when the file must not exist, so a file that
 *   appeared meanwhile is not replaced either): a failure leaves no half-written file.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, link, lstat, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { OpendpoError } from '../errors/opendpo-error.js';

export interface OutputFileOptions {
  /** The option that named the file, as the user typed it (`--out`, `--output`). */
  option: string;
  /** Replace the file if it exists. */
  force: boolean;
}

const errnoOf = (err: unknown): string => (err as NodeJS.ErrnoException | undefined)?.code ?? 'error';

/** Refuses, before any work, a file that cannot be written or that exists without `force`. */
export async function checkOutputFile(file: string, { option, force }: OutputFileOptions): Promise<void> {
  if (file === '' || file.endsWith('/') || file.endsWith(path.sep)) throw new OpendpoError('INVALID_INPUT', `${option} "${file}" names a folder: give a file name`);
  const folder = path.dirname(path.resolve(file));
  let info;
  try {
    info = await stat(folder);
  } catch (err) {
    throw new OpendpoError('INVALID_INPUT', errnoOf(err) === 'ENOENT' ? `${option} ${file}: the folder ${folder} does not exist` : `${option} ${file}: cannot read the folder ${folder} (${errnoOf(err)})`);
  }
  if (!info.isDirectory()) throw new OpendpoError('INVALID_INPUT', `${option} ${file}: ${folder} is not a folder`);
  try {
    await access(folder, constants.W_OK | constants.X_OK);
  } catch {
    throw new OpendpoError('INVALID_INPUT', `${option} ${file}: the folder ${folder} is not writable`);
  }
  let existing;
  try {
    existing = await lstat(file);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return;
    throw new OpendpoError('INVALID_INPUT', `${option} ${file}: cannot read it (${errnoOf(err)})`);
  }
  if (existing.isDirectory()) throw new OpendpoError('INVALID_INPUT', `${option} ${file} is a folder: give a file name`);
  if (!force) throw new OpendpoError('INVALID_INPUT', `${file} already exists: choose another ${option}, or add --force to replace it`);
}

/**
 * Writes the whole file or nothing. Without `force`, a file that exists (created since the check)
 * is not replaced. Errors name the option and the errno, not the path: a caller whose error ends in
 * a request's evidence must not store a path that may name the person (`--out alice-martin.html`).
 */
export async function writeOutputFile(file: string, content: string | Uint8Array, { option, force }: OutputFileOptions): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', 0o644);
    try {
      await handle.writeFile(content);
      // On disk before it takes the name: a machine that stops now leaves the old file or none, never an empty one.
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (force) {
      await rename(temporary, file);
    } else {
      await linkOrRename(temporary, file);
    }
  } catch (err) {
    await rm(temporary, { force: true }).catch(() => {});
    if (errnoOf(err) === 'EEXIST') throw new OpendpoError('OUTPUT_FAILED', `the ${option} file was created by something else meanwhile; nothing was replaced (add --force to replace it)`, undefined, { cause: err });
    throw new OpendpoError('OUTPUT_FAILED', `cannot write the ${option} file (${errnoOf(err)}); nothing was written`, undefined, { cause: err });
  }
}

/** Gives `temporary` the name `file` only if no file has it: a hard link fails if it exists. */
async function linkOrRename(temporary: string, file: string): Promise<void> {
  try {
    await link(temporary, file);
  } catch (err) {
    const code = errnoOf(err);
    // A file system without hard links (FAT, some network shares): checked, then renamed.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
    if (await lstat(file).then(() => true, () => false)) throw Object.assign(new Error('exists'), { code: 'EEXIST' });
    await rename(temporary, file);
    return;
  }
  await rm(temporary, { force: true });
}

/** The formats a command writes, each with the file extensions that name it (first: the usual one). */
export type FormatExtensions<F extends string> = Readonly<Record<F, readonly string[]>>;

/**
 * The output format: `--format`, else the extension of the file, else `fallback` (standard output).
 * An extension that names no format the command writes, or another format than `--format`, is
 * refused with the extensions it writes.
 */
export function chooseOutputFormat<F extends string>(
  flags: { format?: string | undefined; file?: string | undefined },
  option: string,
  formats: FormatExtensions<F>,
  fallback: NoInfer<F> | undefined,
): F {
  const names = Object.keys(formats) as F[];
  const list = names.map((f) => `${formats[f].join('/')} (${f})`).join(', ');
  const byName = flags.format === undefined ? undefined : names.find((f) => f === flags.format);
  if (flags.format !== undefined && byName === undefined) throw new OpendpoError('INVALID_INPUT', `--format must be one of ${names.join(', ')}, not "${flags.format.slice(0, 50)}"`);
  if (flags.file === undefined) {
    const chosen = byName ?? fallback;
    if (chosen === undefined) throw new OpendpoError('INVALID_INPUT', `give --format (${names.join(', ')}), or ${option} FILE with one of the extensions ${list}`);
    return chosen;
  }
  const name = path.basename(flags.file).toLowerCase();
  // The longest extension that matches, so that ".sarif.json" is SARIF, not JSON.
  const matches = names
    .flatMap((f) => formats[f].map((ext) => ({ f, ext })))
    .filter(({ ext }) => name.endsWith(ext) && name.length > ext.length)
    .sort((a, b) => b.ext.length - a.ext.length);
  const byExtension = matches[0]?.f;
  const extension = path.extname(name);
  if (byName !== undefined) {
    if (extension === '' || byExtension === byName) return byName;
    throw new OpendpoError('INVALID_INPUT', `${option} ${flags.file}: --format ${byName} is written to a file ending in ${formats[byName].join(' or ')}, not ${extension}`);
  }
  if (byExtension === undefined) {
    throw new OpendpoError(
      'INVALID_INPUT',
      `${option} ${flags.file}: ${extension === '' ? 'no extension' : `${extension} is not a format this command writes`}; ${names.length === 1 ? `write a ${formats[names[0]!].join(' or ')} file` : `the format follows the extension: ${list} (or give --format)`}`,
    );
  }
  return byExtension;
}
