/**
 * Runs a transaction again when it lost a race with another writer (a unique key taken by a
 * concurrent append to the audit chain, a serialisation failure). Each try waits a little longer,
 * with jitter, so that many writers at once spread out instead of colliding in lockstep: with N
 * writers, one wins per round, and the last would need N immediate tries.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export const MAX_CONFLICT_ATTEMPTS = 50;

export async function retryOnConflict<T>(isConflict: (err: unknown) => boolean, work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!isConflict(err) || attempt >= MAX_CONFLICT_ATTEMPTS) throw err;
      // 0-2 ms at first, up to 0-50 ms: bounded, so a lost race costs little.
      await sleep(Math.random() * Math.min(50, 2 * attempt));
    }
  }
}
