/**
 * Runs the real `opendpo` CLI as a child process (through tsx, so tests always run the
 * current source), the way a user or CI would.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = path.join(ROOT, 'src/cli/main.ts');
// By URL, so that a test may run the CLI from any working directory.
const TSX = import.meta.resolve('tsx');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: readonly string[],
  opts: {
    cwd?: string;
    env?: Record<string, string | undefined>;
    input?: string;
    timeoutMs?: number;
    /** Close the reading end of standard output at once, as `opendpo ... | head -0` does. */
    closeStdout?: boolean;
  } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    if (opts.closeStdout) child.stdout.destroy();
    else child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // Generous: on a loaded 2-core machine one spawn through tsx takes 10-20 s; a hung command is still killed.
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** A CLI process left running: a test reads its standard error as it comes, and may kill it. */
export interface RunningCli {
  pid: number;
  /** Resolves when standard error has matched `pattern` (rejects if the process ends first). */
  waitFor(pattern: RegExp): Promise<void>;
  kill(signal: NodeJS.Signals): void;
  /** The process's end: its exit code (null when killed by a signal), and its output. */
  done: Promise<CliResult & { signal: NodeJS.Signals | null }>;
}

export function startCli(args: readonly string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): RunningCli {
  const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiting = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    for (const check of waiting) check();
  });
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      for (const check of waiting) check();
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    pid: child.pid!,
    kill: (signal) => child.kill(signal),
    done,
    waitFor: (pattern) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(stderr)) {
            waiting.delete(check);
            resolve();
          } else if (child.exitCode !== null || child.signalCode !== null) {
            waiting.delete(check);
            reject(new Error(`the process ended before its output matched ${String(pattern)}:\n${stderr}`));
          }
        };
        waiting.add(check);
        check();
      }),
  };
}

/** A CLI error must never show a stack trace or internal file paths. */
export function expectNoStackTrace(output: string): void {
  if (/\n\s+at .+\(.+:\d+:\d+\)|node:internal|ZodError|TypeError:|ReferenceError:/.test(output)) {
    throw new Error(`output contains a stack trace or internal error:\n${output}`);
  }
}
