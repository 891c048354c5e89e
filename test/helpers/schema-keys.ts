/** For tests that keep a format's documentation true: every key a zod schema allows. */

/** Every key of every object in a zod schema, found by walking its definition. */
export function schemaKeys(schema: unknown, out = new Set<string>(), seen = new Set<unknown>()): Set<string> {
  if (seen.has(schema)) return out;
  seen.add(schema);
  const def = (schema as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
  if (!def) return out;
  switch (def.type) {
    case 'object':
      for (const [k, v] of Object.entries(def.shape as Record<string, unknown>)) {
        out.add(k);
        schemaKeys(v, out, seen);
      }
      break;
    case 'optional':
    case 'default':
    case 'nullable':
    case 'prefault':
      schemaKeys(def.innerType, out, seen);
      break;
    case 'array':
      schemaKeys(def.element, out, seen);
      break;
    case 'union':
      for (const o of def.options as unknown[]) schemaKeys(o, out, seen);
      break;
    case 'pipe':
      schemaKeys(def.in, out, seen);
      schemaKeys(def.out, out, seen);
      break;
  }
  return out;
}
