/**
 * The matrix of routes × roles, read from the routes themselves (each declares its access): the
 * table docs/desk.md shows, kept true by test/http/access-matrix.test.ts.
 */
import { allows, ROLES } from '../desk/staff/roles.js';
import type { RouteAccess } from './auth.js';

/** The routes people and programs call (HEAD routes mirror their GET; /openapi.json is public). */
export function documentedRoutes(routes: readonly RouteAccess[]): RouteAccess[] {
  return routes.filter((r) => r.method !== 'HEAD').sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method));
}

export function accessMatrixMarkdown(routes: readonly RouteAccess[]): string {
  const header = `| Route | Needs | anyone | ${ROLES.join(' | ')} |`;
  const rule = `| --- | --- | --- | ${ROLES.map(() => '---').join(' | ')} |`;
  const rows = documentedRoutes(routes).map((r) => {
    const cells = ROLES.map((role) => (r.access === 'public' || allows(role, r.access) ? 'yes' : '–'));
    return `| \`${r.method} ${r.url}\` | ${r.access === 'public' ? 'public' : `\`${r.access}\``} | ${r.access === 'public' ? 'yes' : '–'} | ${cells.join(' | ')} |`;
  });
  return [header, rule, ...rows].join('\n');
}
