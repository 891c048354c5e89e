/**
 * What a letter to a person says, as data: one zod schema per kind of letter over the facts every
 * letter shares (who writes, who supervises, which request), the types derived from it. A letter is
 * rendered only from facts that pass it, so an Art. 12(4) refusal cannot leave without a reason nor
 * an Art. 12(3) extension without its new date.
 *
 * Dates are calendar dates (YYYY-MM-DD) in the organisation's calendar, as deadline.ts computes them:
 * never instants, never moved by a time zone.
 */
import { z } from 'zod';
import { CODE_DIGITS } from '../one-time-code.js';
import { REQUEST_TYPES } from '../request-types.js';

export const LETTER_KINDS = ['acknowledgement', 'identity_code', 'identity_request', 'extension', 'completion', 'refusal', 'fee', 'download_link', 'status_link'] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];

const Text = (max: number) => z.string().trim().min(1).max(max);
/** A name, a reference, a line of an address: one line, as it may end up in the mail's Subject. */
const Line = (max: number) => Text(max).regex(/^[^\r\n]*$/, { message: 'must be one line' });
const Lines = (max: number) => z.array(Line(200)).max(max);
const Items = z.array(Text(2000)).min(1).max(50);
const CalendarDate = z.iso.date({ message: 'must be a calendar date written YYYY-MM-DD' });
const Email = z.email({ message: 'must be an email address' }).max(320);
const WebUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s):// URL' }).max(2000);

const Controller = z.strictObject({
  name: Line(200),
  /** Postal address, one line per item. */
  address: Lines(10),
  /** Where the person writes about the request. */
  email: Email,
});

const Dpo = z.strictObject({
  name: Line(200),
  email: Email,
  /** French names the DPO "déléguée" (feminine) or "délégué" (masculine, the default), as the notice does. */
  addressedAs: z.enum(['feminine', 'masculine']).optional(),
});

/** Art. 77: the authority a complaint may be lodged with, named with a way to reach it. */
const SupervisoryAuthority = z
  .strictObject({
    name: Line(200),
    url: WebUrl.optional(),
    address: Lines(10),
  })
  // Reachable: by its website or its postal address, as the register gives it (a notice may give only one).
  .refine((a) => a.url !== undefined || a.address.length > 0, { message: 'give the authority\'s url or its postal address', path: ['url'] });

const Request = z
  .strictObject({
    reference: Line(100),
    type: z.enum(REQUEST_TYPES),
    receivedOn: CalendarDate,
    /** The day the answer is due (deadline.ts), before any extension. */
    dueOn: CalendarDate,
  })
  .refine((r) => r.dueOn >= r.receivedOn, { message: 'dueOn is before receivedOn', path: ['dueOn'] });

const common = {
  controller: Controller,
  dpo: Dpo.optional(),
  supervisoryAuthority: SupervisoryAuthority,
  request: Request,
};

export const LETTER_FACTS = {
  acknowledgement: z.strictObject({ ...common }),

  /** Art. 12(6): the emailed code (one-time-code.ts). */
  identity_code: z.strictObject({
    ...common,
    code: z.string().regex(new RegExp(`^\\d{${CODE_DIGITS}}$`), { message: `must be ${CODE_DIGITS} digits` }),
    /**
     * A request staff entered (channel email or post): the person made it without a page. With the link
     * that hands the status key to their browser (follow-link.ts) when the desk holds the key; without
     * it, the person is sent back to the link they were given first.
     */
    enteredByStaff: z.strictObject({ followUrl: WebUrl.optional() }).optional(),
  }),

  /** Art. 12(6): the controller has reasonable doubts and asks for what it needs; the clock waits meanwhile. */
  identity_request: z.strictObject({
    ...common,
    /** Why the identity is in doubt. */
    reason: Text(2000),
    /** Each piece of information asked for. */
    information: Items,
  }),

  /** Art. 12(3): two further months at most, with the reasons. */
  extension: z
    .strictObject({ ...common, newDueOn: CalendarDate, reasons: Items })
    .refine((f) => f.newDueOn > f.request.dueOn, { message: 'newDueOn must be after request.dueOn', path: ['newDueOn'] }),

  completion: z
    .strictObject({
      ...common,
      /** What was done, one item each. */
      actions: Items,
      /** Art. 15(3): where the copy is fetched, and the last day the link works. */
      download: z.strictObject({ url: WebUrl, expiresOn: CalendarDate }).optional(),
    })
    .refine((f) => f.request.type !== 'access' || f.download !== undefined, { message: 'an access request is answered with its copy: download is required', path: ['download'] })
    .refine((f) => f.download === undefined || f.download.expiresOn >= f.request.receivedOn, { message: 'download.expiresOn is before the request was received', path: ['download', 'expiresOn'] }),

  /**
   * Art. 15(3): a new link to the copy a completion letter gave, when the person lost or never got
   * that letter (staff send it; the earlier link stops working). The copy is the same, and so is the
   * last day it can be fetched.
   */
  download_link: z
    .strictObject({ ...common, download: z.strictObject({ url: WebUrl, expiresOn: CalendarDate }) })
    .refine((f) => f.request.type === 'access' || f.request.type === 'portability', { message: 'only an access or portability request is answered with a copy', path: ['request', 'type'] }),

  /**
   * Art. 12(2): a new link to follow the request, for the person who lost its status key (another
   * device, cleared cookies, the first email or letter gone). It carries the new key (follow-link.ts);
   * the earlier key stops working in the same write. Sent only to a confirmed address (Art. 12(6)).
   */
  status_link: z.strictObject({ ...common, followUrl: WebUrl }),

  /** Art. 12(4): every reason, the complaint to the authority, the judicial remedy. */
  refusal: z.strictObject({ ...common, reasons: Items }),

  /** Art. 12(5)(a) (manifestly unfounded or excessive) or Art. 15(3) (a further copy): a reasonable fee. */
  fee: z.strictObject({
    ...common,
    basis: z.enum(['unfounded_or_excessive', 'further_copy']),
    /** In the currency's minor unit (cents of a euro), as the request's state machine keeps it. */
    amountCents: z.int().positive().max(100_000_000),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 currency code such as EUR' })
      .refine((c) => Intl.supportedValuesOf('currency').includes(c), { message: 'is not a known currency' }),
    grounds: Text(2000),
    paymentInstructions: Text(2000).optional(),
  }),
} as const satisfies Record<LetterKind, z.ZodType>;

export type LetterFacts<K extends LetterKind> = z.infer<(typeof LETTER_FACTS)[K]>;

/** A letter to build: its kind and its facts, narrowed together. */
export type Letter = { [K in LetterKind]: { kind: K; facts: LetterFacts<K> } }[LetterKind];
