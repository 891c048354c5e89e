/**
 * An order of `ids` in which every id comes after all those `before` lists for it (Kahn's
 * algorithm); undefined when they form a cycle, an id listed before itself included. Ties break by
 * name, so plans and statements are the same from one run to the next.
 */
export function topologicalOrder(ids: readonly string[], before: ReadonlyMap<string, ReadonlySet<string>>): string[] | undefined {
  const ordered: string[] = [];
  const done = new Set<string>();
  while (done.size < ids.length) {
    const ready = ids.filter((id) => !done.has(id) && [...(before.get(id) ?? [])].every((b) => done.has(b))).sort();
    if (ready.length === 0) return undefined;
    for (const id of ready) {
      ordered.push(id);
      done.add(id);
    }
  }
  return ordered;
}
