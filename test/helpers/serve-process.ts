/**
 * `opendpo serve` as a real process (through tsx, the current source), started on a free port and
 * waited for until /healthz answers: for tests that kill it, run two at once, or restart it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './cli.js';

const MAIN = path.join(ROOT, 'src/cli/main.ts');

export interface ServeProcess {
  child: ChildProcessWithoutNullStreams;
  url: string;
  /** Everything it wrote, standard output and error together. */
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, and wait for it to exit. */
  stop(): Promise<void>;
}

export async function startServe(env: Record<string, string>): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--port', '0'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env } });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const url = /opendpo listening on (http:\/\/\S+)/.exec(output)?.[1];
    if (url && (await fetch(`${url}/healthz`).then((r) => r.ok, () => false))) return { child, url, output: () => output, exited, stop };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`the server did not start:\n${output}`);
}
