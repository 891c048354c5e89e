/** Small registers built in code for the store's tests. */
import type { Register } from '../../src/register/schema.js';

export function smallRegister(orgId: string, activityIds: readonly string[] = ['newsletter']): Register {
  return {
    organisation: { id: orgId, name: `Organisation ${orgId}`, default_language: 'en' },
    activities: activityIds.map((id) => ({
      id,
      name: `Activity ${id}`,
      role: 'controller' as const,
      purposes: [{ description: `Purpose of ${id}`, legal_basis: 'consent' as const }],
      legal_bases: [{ basis: 'consent' as const, withdrawal_method: 'Unsubscribe link' }],
    })),
    recipients: [],
    systems: [],
  };
}
