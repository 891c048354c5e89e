/**
 * Every CLI action runs through here: domain errors become one clear line and their exit code;
 * anything unexpected becomes "internal error" with a correlation id, and the stack only with
 * OPENDPO_DEBUG=1. Never a stack trace by default, never personal data.
 */
import { randomUUID } from 'node:crypto';
import { isOpendpoError } from '../errors/opendpo-error.js';
import type { Finding } from '../register/finding.js';
import { formatText } from '../register/lint/format-text.js';

export type ActionResult = number | void;

export function action<A extends unknown[]>(fn: (...args: A) => Promise<ActionResult> | ActionResult) {
  return async (...args: A): Promise<void> => {
    try {
      const code = await fn(...args);
      process.exitCode = typeof code === 'number' ? code : 0;
    } catch (err) {
      process.exitCode = reportError(err);
    }
  };
}

/** Prints an error the way the CLI shows errors; returns the exit code. */
export function reportError(err: unknown): number {
  if (isOpendpoError(err)) {
    // A refused register: its findings first, each with file:line:column.
    const findings = err.code === 'REGISTER_INVALID' || err.code === 'DATASET_INVALID' ? (err.details as { findings?: Finding[] } | undefined)?.findings : undefined;
    if (findings?.length) process.stderr.write(formatText(findings, { color: process.stderr.isTTY === true && !process.env.NO_COLOR }));
    process.stderr.write(`opendpo: ${err.message}\n`);
    if (process.env.OPENDPO_DEBUG === '1' && err.cause) process.stderr.write(`${String((err.cause as Error).stack ?? err.cause)}\n`);
    return err.exitCode;
  }
  const id = randomUUID().slice(0, 8);
  process.stderr.write(`opendpo: internal error (correlation id ${id}); run again with OPENDPO_DEBUG=1 for details\n`);
  if (process.env.OPENDPO_DEBUG === '1') process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
  return 70;
}
