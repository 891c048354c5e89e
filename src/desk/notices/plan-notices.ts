/**
 * Which notices a completed rectification, erasure or restriction gives rise to (Art. 19): one per
 * recipient of the person's data, with its channel and the data categories concerned. Pure: the
 * register, the datasets, notifications.yaml and where the change was carried out in; the rows to
 * write out. The desk writes them in the transaction that completes the request; the notice sender
 * (send-notices.ts) delivers them.
 *
 * Where the change was carried out: for a request the engine ran, the collections in which it
 * found the person's rows (so the operators of those systems, and the recipients of the activities
 * of those systems, are told). For one staff carried out by hand, where is not known: every
 * activity of the systems the organisation's datasets describe is taken (or of the whole register,
 * without datasets). Telling a recipient that held nothing costs it a look-up; not telling one that
 * did is a breach of Art. 19. The notice carries no values, so telling more does not disclose more.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { Dataset } from '../../dataset/model.js';
import type { Register } from '../../register/schema.js';
import type { NoticeAction } from '../../notify/notifier.js';
import { recipientsToTell, type RecipientToTell } from '../../notify/recipients.js';
import type { NotificationRoutes } from '../../notify/routes-schema.js';
import type { NewRecipientNoticeRow } from '../../store/notices-repository.js';

/** The request types that are told to recipients, and as what (Art. 16, 17(1), 18, 18(3)). */
export const NOTICE_ACTION_OF: Partial<Record<string, NoticeAction>> = {
  rectification: 'rectification',
  erasure: 'erasure',
  restriction: 'restriction',
  lift_restriction: 'restriction_lifted',
};

export interface NoticePlanInput {
  register: Register;
  action: NoticeAction;
  /** The organisation's datasets (OPENDPO_DATASETS), when the server has them. */
  datasets: readonly Dataset[];
  /** The collections ("dataset.collection") the engine changed; absent when carried out by hand. */
  changed?: readonly { dataset: string; collection: string; categories: readonly string[] }[] | undefined;
  routes?: NotificationRoutes | undefined;
  /** An opaque reference for a recipient whose route asks for one (subject-ref.ts); undefined for none. */
  subjectRef?: (recipientId: string) => string | undefined;
  now: Date;
}

export function planNotices(input: NoticePlanInput): NewRecipientNoticeRow[] {
  const { register, changed } = input;
  const datasets = changed === undefined ? input.datasets : keepChanged(input.datasets, changed);
  const systems = new Set<string>();
  for (const d of datasets) for (const c of d.collections) if (!c.skip && (c.system ?? d.system)) systems.add((c.system ?? d.system)!);
  const activities =
    changed === undefined && input.datasets.length === 0
      ? register.activities.map((a) => a.id)
      : register.activities.filter((a) => a.systems?.some((s) => systems.has(s))).map((a) => a.id);
  const changedCategories = changed === undefined ? undefined : new Set(changed.flatMap((c) => c.categories));
  const found = recipientsToTell(register, activities, datasets, input.routes);
  const at = input.now.toISOString();
  return found.recipients.map((r) => {
    const ref = input.subjectRef?.(r.id);
    const byHand = r.reach.channel === 'by_hand';
    return {
      id: randomUUID(),
      recipient_id: r.id,
      action: input.action,
      channel: r.reach.channel,
      categories_json: JSON.stringify(categoriesOf(r, changedCategories)),
      subject_ref: ref ?? null,
      // Without a route, a person tells the recipient (or records why it proved impossible): Art. 19.
      state: byHand ? 'by_hand' : 'pending',
      deliveries: 0,
      attempts_json: '[]',
      answer: null,
      next_attempt_at: byHand ? null : at,
      claimed_by: null,
      claimed_until: null,
      told_at: null,
      decided_by: null,
      note: null,
      created_at: at,
      updated_at: at,
    };
  });
}

/**
 * The categories a recipient is told of: those it may hold that the change concerned; when none of
 * them was (the recipient received data of the activity, not of these tables), those it may hold.
 */
function categoriesOf(r: RecipientToTell, changed: Set<string> | undefined): string[] {
  const personal = r.categories.filter((c) => c === 'user' || c.startsWith('user.'));
  const concerned = changed === undefined ? personal : personal.filter((c) => [...changed].some((x) => x === c || x.startsWith(`${c}.`) || c.startsWith(`${x}.`)));
  const chosen = concerned.length > 0 ? concerned : personal;
  return chosen.length > 0 ? chosen : ['user'];
}

/** The datasets cut down to the collections the change concerned. */
function keepChanged(datasets: readonly Dataset[], changed: NonNullable<NoticePlanInput['changed']>): Dataset[] {
  const keys = new Set(changed.map((c) => `${c.dataset}\u0000${c.collection}`));
  return datasets
    .map((d) => ({ ...d, collections: d.collections.filter((c) => keys.has(`${d.key}\u0000${c.name}`)) }))
    .filter((d) => d.collections.length > 0);
}

/**
 * An opaque reference a recipient can compute on its side and match: HMAC-SHA-256 of the
 * identity's value (emails lower-cased, trimmed, NFC) with a key shared with that recipient alone.
 * The recipient learns nothing it does not hold already (Art. 5(1)(c), 25(1)).
 */
export function subjectReference(key: string, identityType: string, value: string): string {
  const normal = value.normalize('NFC').trim();
  const canonical = identityType === 'email' ? normal.toLowerCase() : normal;
  return `hmac-sha256:${createHmac('sha256', key).update(canonical, 'utf8').digest('hex')}`;
}

/** What the completion letter says of the recipients told (Art. 19), in the request's language; nothing when there are none. */
export function recipientsLine(language: 'en' | 'fr', count: number): string[] {
  if (count === 0) return [];
  return [
    language === 'fr'
      ? `Nous en informons ${count === 1 ? 'le destinataire' : `les ${count} destinataires`} de vos données (article 19 du RGPD) ; vous pouvez nous demander qui ${count === 1 ? 'il est' : 'ils sont'}, sur la page de suivi de votre demande.`
      : `We are telling ${count === 1 ? 'the recipient' : `the ${count} recipients`} of your data (Article 19 GDPR); you may ask us who ${count === 1 ? 'it is' : 'they are'}, on your request's status page.`,
  ];
}
