/**
 * Tests that need a real service (PostgreSQL, MariaDB) ask here. Without the service they skip
 * with a visible message naming it, unless OPENDPO_REQUIRE_SERVICES=1 (as in CI), where a
 * missing service fails the run instead: nothing that should run is silently skipped.
 */
import net from 'node:net';

export const REQUIRE_SERVICES = process.env.OPENDPO_REQUIRE_SERVICES === '1';
export const REQUIRE_FIXTURES = process.env.OPENDPO_REQUIRE_FIXTURES === '1';

export const POSTGRES_URL = process.env.OPENDPO_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const MARIADB_URL = process.env.OPENDPO_TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/test';

function reachable(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Resolves whether the service is available. Use with `describe.runIf(await serviceAvailable(...))`.
 * Prints the skip message itself; throws when the service is required but missing.
 */
export async function serviceAvailable(name: 'PostgreSQL' | 'MariaDB' | 'NATS', url: string): Promise<boolean> {
  const u = new URL(url);
  const ok = await reachable(u.hostname, Number(u.port));
  if (ok) return true;
  const message = `${name} is not reachable at ${u.hostname}:${u.port}`;
  if (REQUIRE_SERVICES) throw new Error(`${message}, and OPENDPO_REQUIRE_SERVICES=1 requires it`);
  console.warn(`SKIPPED: tests needing ${name}: ${message} (set OPENDPO_REQUIRE_SERVICES=1 to make this an error)`);
  return false;
}
