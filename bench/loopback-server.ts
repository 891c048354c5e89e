/** Servers the benches spawn on loopback: a free port, and the wait for their first 200. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import net from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface SpawnedServer {
  port: number;
  pid: number;
  /** Milliseconds from spawn to the first 200 of the readiness URL. */
  readyMs: number;
  stop(): Promise<void>;
}

/** Spawns `node args` with PORT and OPENDPO_PORT set to a free port, and waits (20 s at most) for a 200 at `path`. */
export async function spawnServer(args: string[], env: Record<string, string>, path: string): Promise<SpawnedServer> {
  const port = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, args, {
    env: { ...process.env, ...env, OPENDPO_PORT: String(port), OPENDPO_HOST: '127.0.0.1', PORT: String(port) },
    stdio: 'ignore',
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  const deadline = started + 20_000;
  while (performance.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      await res.arrayBuffer();
      if (res.status === 200) return { port, pid: child.pid!, readyMs: performance.now() - started, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  await stop();
  throw new Error(`${args.join(' ')}: not ready within 20 s`);
}

/**
 * CPU time (user + system, ms) a process has used, from /proc (Linux); undefined elsewhere. On a
 * machine shared with other work, CPU time per request is steadier than requests per second.
 */
export async function cpuTimeMs(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (in parentheses, which may hold spaces): utime and stime are 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
/** USER_HZ: 100 on every Linux architecture Node.js runs on. */
const CLOCK_TICKS = 100;
