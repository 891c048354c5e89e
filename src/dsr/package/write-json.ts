/**
 * The access package and the portability export as JSON: UTF-8 text, two-space indentation, keys
 * in the order the builders give them (so the same request always gives the same text), a final
 * line break. The shapes are the zod schemas `AccessPackage` (./access-package.ts) and
 * `PortabilityExport` (../portability.ts); the written value is checked against them first, so
 * what is published is what is documented.
 */
import type { z } from 'zod';
import { OpendpoError } from '../../errors/opendpo-error.js';
import { PortabilityExport } from '../portability.js';
import { AccessPackage } from './access-package.js';

export function writeAccessPackageJson(pkg: AccessPackage): string {
  return checkedJson(AccessPackage, pkg, 'access package');
}

/** Art. 20(1): "structured, commonly used and machine-readable". */
export function writePortabilityJson(exp: PortabilityExport): string {
  return checkedJson(PortabilityExport, exp, 'portability export');
}

function checkedJson(schema: z.ZodType, value: unknown, what: string): string {
  // Validate only: the parsed copy is not written (a record key "__proto__" must stay a key).
  const checked = schema.safeParse(value);
  if (!checked.success) {
    // A bug in the builder, not bad input. The issue paths name no value, so no personal data.
    const paths = checked.error.issues.map((i) => i.path.join('.') || '(root)').slice(0, 5);
    throw new OpendpoError('INTERNAL', `the ${what} does not match its published shape at ${paths.join(', ')}`);
  }
  return `${JSON.stringify(value, null, 2)}\n`;
}
