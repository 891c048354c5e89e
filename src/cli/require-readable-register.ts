/**
 * Commands that act on a register (render, export, diff, publish) refuse one the loader could not
 * read: they stop with REGISTER_INVALID carrying the problems, which `action()` prints with their
 * file:line:column before the one-line reason.
 */
import { OpendpoError } from '../errors/opendpo-error.js';
import { sortFindings } from '../register/finding.js';
import type { LoadedRegister, LoadResult } from '../register/load.js';

export function requireReadableRegister(result: LoadResult, refused: string): LoadedRegister {
  const errors = sortFindings(result.problems.filter((p) => p.severity === 'error'));
  if (errors.length === 0 && result.loaded) return result.loaded;
  const count = errors.length === 1 ? 'an error' : `${errors.length} errors`;
  throw new OpendpoError('REGISTER_INVALID', `${refused}: the register has ${count}; fix ${errors.length === 1 ? 'it' : 'them'} first (opendpo register lint shows them all)`, {
    findings: errors,
  });
}
