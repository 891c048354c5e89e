/**
 * The facts every letter shares, read from the published register (who writes, the DPO, the
 * supervisory authority: Art. 12(4), 13(1)(a)-(b), 77) and the request. Pure.
 */
import { OpendpoError } from '../errors/opendpo-error.js';
import type { PostalAddress, Register } from '../register/schema.js';
import type { DeskRequestRow } from '../store/desk-repository.js';
import type { RequestType } from './request-types.js';

export interface CommonLetterFacts {
  controller: { name: string; address: string[]; email: string };
  dpo?: { name: string; email: string; addressedAs?: 'feminine' | 'masculine' };
  supervisoryAuthority: { name: string; url?: string; address: string[] };
  request: { reference: string; type: RequestType; receivedOn: string; dueOn: string };
}

const addressLines = (a: PostalAddress | undefined): string[] => (a ? [...a.lines, [a.postal_code, a.city].filter(Boolean).join(' ')] : []);

export function commonLetterFacts(register: Register, request: DeskRequestRow, dueOn = request.due_on): CommonLetterFacts {
  const o = register.organisation;
  const email = o.dpo?.email ?? o.contact?.email;
  if (!email) throw new OpendpoError('REGISTER_INVALID', `organisation ${o.id}: its register gives no email to write back to (dpo.email or contact.email): letters cannot be sent`);
  const authority = o.supervisory_authority;
  if (!authority) throw new OpendpoError('REGISTER_INVALID', `organisation ${o.id}: its register names no supervisory authority (supervisory_authority): a letter tells the person where to complain (Art. 12(4), 77)`);
  return {
    controller: { name: o.name, address: addressLines(o.address), email },
    ...(o.dpo?.name && o.dpo.email ? { dpo: { name: o.dpo.name, email: o.dpo.email, ...(o.dpo.addressed_as ? { addressedAs: o.dpo.addressed_as } : {}) } } : {}),
    supervisoryAuthority: { name: authority.name, ...(authority.url ? { url: authority.url } : {}), address: addressLines(authority.address) },
    request: { reference: request.reference, type: request.type as RequestType, receivedOn: request.received_on, dueOn },
  };
}
