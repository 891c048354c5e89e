/**
 * Who may do what at the desk. Staff roles follow the work: the DPO decides (Art. 38-39), agents
 * receive requests and check identities, engineers keep the systems and the register, auditors read
 * the evidence but never a person's data (Art. 5(1)(f), 32: access on a need-to-know basis), admins
 * manage accounts. Publishing the register (the record of Art. 30, and the notice people read) is
 * the DPO's, who monitors compliance (Art. 39(1)(b)), and an admin's. A controller's API token (role
 * `controller`) only forwards requests of that controller's data subjects to an organisation acting
 * as its processor (Art. 28(3)(e)).
 *
 * Every route names the one permission it needs (or `public`); the matrix of routes × roles is
 * derived from this table and the routes themselves (test/http/access-matrix.test.ts,
 * docs/desk.md), so a new route cannot be added without deciding who may call it.
 */
export const STAFF_ROLES = ['admin', 'dpo', 'agent', 'engineer', 'auditor'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export const ROLES = [...STAFF_ROLES, 'controller'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  'session.self': 'see one\'s own session and sign out',
  'register.read': 'read the whole register: security measures, processors, lint findings, versions',
  'register.publish': 'publish the register folder the server was started with as a new version (linted first; Art. 13(3): the material changes are recorded with it)',
  'systems.read': 'read the systems requests run on (datasets: tables, fields, data categories; never a secret) and check them against their databases (catalogues only, no rows)',
  'requests.read': 'read the request queue and each request\'s state, deadline and history (no identity, no content)',
  'requests.read_personal': 'read the identities and content of a request (logged as a staff view)',
  'requests.create': 'enter a request received by email or post',
  'requests.identity': 'confirm an identity by step-up, ask for identity information, extend, assign, record a withdrawal',
  'requests.decide': 'approve, refuse or charge a fee (Art. 12(4), 12(5))',
  'audit.read': 'read and verify the audit log',
  'metrics.read': 'read the Prometheus metrics',
  'staff.manage': 'manage staff accounts and API tokens',
  'controller.forward': 'forward a data subject\'s request as a controller to its processor (Art. 28(3)(e))',
} as const;
export type Permission = keyof typeof PERMISSIONS;

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: [
    'session.self',
    'register.read',
    'register.publish',
    'systems.read',
    'requests.read',
    'requests.read_personal',
    'requests.create',
    'requests.identity',
    'requests.decide',
    'audit.read',
    'metrics.read',
    'staff.manage',
  ],
  dpo: ['session.self', 'register.read', 'register.publish', 'systems.read', 'requests.read', 'requests.read_personal', 'requests.create', 'requests.identity', 'requests.decide', 'audit.read', 'metrics.read'],
  agent: ['session.self', 'register.read', 'requests.read', 'requests.read_personal', 'requests.create', 'requests.identity'],
  // Engineers keep the systems, auditors check them (Art. 30(1)(d), 32(1)(d)): both read what each
  // system holds and whether it still matches its database. Agents answer requests and need neither.
  engineer: ['session.self', 'register.read', 'systems.read', 'requests.read', 'metrics.read'],
  auditor: ['session.self', 'register.read', 'systems.read', 'requests.read', 'audit.read', 'metrics.read'],
  controller: ['controller.forward'],
};

export function allows(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

export function isStaffRole(value: string): value is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(value);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
