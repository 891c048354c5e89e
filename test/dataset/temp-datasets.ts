/** A datasets folder written to a temporary directory for one test, and removed after it. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

const made: string[] = [];

afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Writes the files (relative path -> content) into a fresh folder and returns its path. */
export async function datasetsFolder(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'opendpo-datasets-'));
  made.push(dir);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

/** A minimal valid native dataset file around the given collections (YAML, indented for `collections:`). */
export function nativeDataset(key: string, collections: string, extra = ''): string {
  return `dataset:\n  key: ${key}\n${extra}  collections:\n${collections}`;
}

/** A connections.yaml serving the given datasets from one SQLite connection. */
export function sqliteConnections(...datasets: string[]): string {
  return `connections:\n  - name: db\n    type: sqlite\n    url: sqlite:test.db\n    datasets: [${datasets.join(', ')}]\n`;
}
