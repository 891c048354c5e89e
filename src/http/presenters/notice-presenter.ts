/**
 * Art. 19 notices as the API shows them. Staff see each notice's delivery record (channel, state,
 * every attempt, the recipient's answer), never the subject reference; the person sees who the
 * recipients are and whether each has been told (Art. 19, second sentence), never the recipients'
 * endpoints or answers.
 */
import { z } from 'zod';
import type { LocalisedText, Register } from '../../register/schema.js';
import type { RecipientNoticeRow } from '../../store/notices-repository.js';

const Attempt = z.object({
  at: z.string(),
  status: z.number().int().optional(),
  error: z.string().optional(),
  duration_ms: z.number().int(),
});

export const StaffNoticeView = z.object({
  id: z.uuid(),
  recipient_id: z.string(),
  action: z.enum(['rectification', 'erasure', 'restriction', 'restriction_lifted']),
  channel: z.enum(['webhook', 'email', 'nats', 'by_hand']),
  categories: z.array(z.string()),
  subject_ref: z.boolean().describe('whether the notice names the person by an agreed reference (its value is not shown)'),
  state: z
    .enum(['pending', 'delivered', 'failed', 'by_hand', 'told_by_hand', 'not_told'])
    .describe('pending: being delivered; delivered; failed: every delivery failed, a person tells the recipient; by_hand: no route, a person tells it; told_by_hand; not_told: impossible or disproportionate, with why'),
  deliveries: z.number().int(),
  attempts: z.array(Attempt),
  answer: z.string().nullable().describe("the recipient's answer to the last delivery (at most 2 KB)"),
  next_attempt_at: z.string().nullable(),
  told_at: z.string().nullable(),
  decided_by: z.string().nullable(),
  note: z.string().nullable(),
  created_at: z.string(),
});

export const PersonRecipientView = z.object({
  name: z.string(),
  kind: z.string().describe('internal, processor, third_party, public_authority or joint_controller'),
  country: z.string().nullable(),
  action: z.enum(['rectification', 'erasure', 'restriction', 'restriction_lifted']),
  told: z.enum(['told', 'being_told', 'not_told']).describe('not_told: telling it proved impossible or involved disproportionate effort (Art. 19)'),
  told_on: z.string().nullable(),
});

export function presentStaffNotice(row: RecipientNoticeRow): z.infer<typeof StaffNoticeView> {
  const attempts = (JSON.parse(row.attempts_json) as { at: string; status?: number; error?: string; durationMs: number }[]).map((a) => ({
    at: a.at,
    ...(a.status === undefined ? {} : { status: a.status }),
    ...(a.error === undefined ? {} : { error: a.error }),
    duration_ms: a.durationMs,
  }));
  return {
    id: row.id,
    recipient_id: row.recipient_id,
    action: row.action as 'erasure',
    channel: row.channel as 'webhook',
    categories: JSON.parse(row.categories_json) as string[],
    subject_ref: row.subject_ref !== null,
    state: row.state as 'pending',
    deliveries: row.deliveries,
    attempts,
    answer: row.answer,
    next_attempt_at: row.next_attempt_at,
    told_at: row.told_at,
    decided_by: row.decided_by,
    note: row.note,
    created_at: row.created_at,
  };
}

export function presentPersonRecipient(row: RecipientNoticeRow, register: Register, language: 'en' | 'fr'): z.infer<typeof PersonRecipientView> {
  const r = register.recipients.find((x) => x.id === row.recipient_id);
  const told = row.state === 'delivered' || row.state === 'told_by_hand' ? 'told' : row.state === 'not_told' ? 'not_told' : 'being_told';
  return {
    name: r ? textIn(r.name, language) : row.recipient_id,
    kind: r?.kind ?? 'third_party',
    country: r?.country ?? null,
    action: row.action as 'erasure',
    told,
    told_on: told === 'told' && row.told_at ? row.told_at.slice(0, 10) : null,
  };
}

function textIn(text: LocalisedText, language: 'en' | 'fr'): string {
  if (typeof text === 'string') return text;
  return text[language] ?? text.en ?? text.fr ?? Object.values(text)[0] ?? '';
}
