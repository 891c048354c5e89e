/**
 * Publishing a register: the step that turns the files a DPO edits into the version the privacy
 * notice is served from. It lints first and refuses a register with errors (unless told to
 * publish anyway, recording the findings), computes the material changes from the previous
 * version (what people must be told about, Art. 13(3) and 14(4)), and writes it all in one
 * transaction, so the store never holds a version without its findings and diff.
 */
import path from 'node:path';
import { OpendpoError } from '../errors/opendpo-error.js';
import type { PublishOutcome, RegisterVersionsRepository } from '../store/register-versions-repository.js';
import { hasErrors, sortFindings, type Finding } from './finding.js';
import { diffRegisters } from './diff.js';
import { lintRegister } from './lint/lint-register.js';
import type { LoadedRegister, LoadResult } from './load.js';

export interface PublishOptions {
  author: string;
  message?: string | undefined;
  /** Publish even with errors (the seed's register has real gaps): the findings are recorded. */
  allowErrors?: boolean;
  /** Publish a register with no processing activity at all (everything really ended). */
  allowEmpty?: boolean;
  publishedAt?: Date;
}

export interface PublishResult {
  outcome: PublishOutcome;
  /** Every finding, with file paths as given to the loader (for the CLI to print). */
  findings: Finding[];
}

/** A register that may be published: loaded, linted, and not refused. */
export interface PreparedRegister {
  loaded: LoadedRegister;
  /** Loader problems and lint findings, sorted, with file paths as given to the loader. */
  findings: Finding[];
}

/**
 * Lints the register and refuses it (REGISTER_INVALID, with the findings) when it has errors,
 * unless `allowErrors`. Touches no store: a refused register leaves the store as it was.
 */
export function prepareRegisterPublication(loadResult: LoadResult, options: { allowErrors?: boolean; allowEmpty?: boolean }): PreparedRegister {
  const { loaded, problems } = loadResult;
  const findings = sortFindings([...problems, ...(loaded ? lintRegister(loaded) : [])]);
  if (!loaded || (hasErrors(findings) && !options.allowErrors)) {
    const errors = findings.filter((f) => f.severity === 'error').length;
    throw new OpendpoError(
      'REGISTER_INVALID',
      loaded
        ? `the register has ${errors} error${errors === 1 ? '' : 's'}: nothing was published (fix them, or publish anyway with --allow-errors)`
        : 'nothing usable was found in the register folder: nothing was published',
      { findings },
    );
  }
  if (loaded.register.activities.length === 0 && !options.allowEmpty) {
    // A register emptied by mistake (a folder moved, a link not followed) would publish a notice
    // that describes no processing at all (Art. 13-14): only on purpose.
    throw new OpendpoError(
      'REGISTER_INVALID',
      `the register has no processing activity${hasErrors(findings) ? ' that can be read (see the errors above)' : ''}: nothing was published (if every activity has really ended, publish with --allow-empty)`,
      { findings },
    );
  }
  return { loaded, findings };
}

/** Stores a prepared register as the organisation's next version (one transaction). */
export async function publishPreparedRegister(
  store: { registerVersions: RegisterVersionsRepository },
  prepared: PreparedRegister,
  options: PublishOptions,
): Promise<PublishResult> {
  const { loaded, findings } = prepared;
  const { register } = loaded;
  const outcome = await store.registerVersions.publish(register.organisation.id, {
    organisationName: register.organisation.name,
    register,
    // Stored findings name files relative to the register folder: the server's own paths are not
    // the public's business, and the same register published from two checkouts reads the same.
    findings: findings.map((f) => ({ ...f, file: relativeTo(loaded.dir, f.file) })),
    author: options.author,
    message: options.message,
    publishedAt: options.publishedAt,
    diffFrom: (previous) => (previous ? diffRegisters(previous, register) : null),
  });
  return { outcome, findings };
}

/** Lints, refuses or publishes: prepareRegisterPublication then publishPreparedRegister. */
export async function publishRegister(
  store: { registerVersions: RegisterVersionsRepository },
  loadResult: LoadResult,
  options: PublishOptions,
): Promise<PublishResult> {
  return publishPreparedRegister(store, prepareRegisterPublication(loadResult, options), options);
}

function relativeTo(dir: string, file: string): string {
  const rel = path.relative(dir, file);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? path.basename(file) : rel.split(path.sep).join('/');
}
