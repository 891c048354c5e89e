/**
 * The request forms as data, and the reading of a posted form into the body the desk's API takes.
 * Pure: the same fields render the page (pages.ts), are checked here with the page's own messages
 * (Art. 12(2): a person is told plainly what to fix, next to the field), and the API checks them
 * again. Every right of Art. 15-22 and the French post-mortem directives (loi Informatique et
 * Libertés art. 85) has its form; each asks only what its article needs (Art. 5(1)(c)).
 */
import { z } from 'zod';
import { isEmailType, type RequestDetails, type RequestType } from '../desk/request-types.js';
import type { CenterStrings } from './i18n/en.js';

/** A posted form, as @fastify/formbody reads it: a field given twice is a list. */
export type FormValues = Readonly<Record<string, string | string[] | undefined>>;

export interface FieldError {
  /** The field's name; the page links the message to the element of id `f-<name>`. */
  field: string;
  message: string;
}

export interface SubmitBody {
  language: 'en' | 'fr';
  identities: { type: string; value: string }[];
  details: RequestDetails;
  message?: string;
}

export type Parsed = { ok: true; body: SubmitBody } | { ok: false; errors: FieldError[] };

export const LIMITS = { identity: 320, short: 200, text: 2000, long: 5000, directives: 10_000 } as const;
/** Rectification: the form offers this many pairs at first (Art. 16). */
export const CORRECTION_ROWS = 3;
/**
 * …and up to this many, one more at a time ("add another correction"): a bound on what one form
 * re-renders and one request carries; more is another request.
 */
export const MAX_CORRECTION_ROWS = 20;

/**
 * How many correction rows a form shows: the count it was rendered with (its hidden `rows` field),
 * never fewer than the first three or than the last row filled in, never more than the bound.
 */
export function correctionRows(values: FormValues): number {
  const asked = Number.parseInt(one(values, 'rows'), 10);
  let rows = Number.isInteger(asked) ? Math.min(Math.max(asked, CORRECTION_ROWS), MAX_CORRECTION_ROWS) : CORRECTION_ROWS;
  for (let n = rows + 1; n <= MAX_CORRECTION_ROWS; n++) if (one(values, `what_${n}`) !== '' || one(values, `corrected_${n}`) !== '') rows = n;
  return rows;
}
export const ERASURE_GROUNDS = ['no_longer_necessary', 'consent_withdrawn', 'objection', 'unlawful', 'legal_obligation', 'child_information_society'] as const;
export const RESTRICTION_GROUNDS = ['accuracy_contested', 'unlawful_processing', 'needed_for_legal_claims', 'objection_pending'] as const;

const Email = z.email({ pattern: z.regexes.unicodeEmail });

/** The field name of an identity type: email is `email`, another type `id_<type>`. */
export const identityField = (type: string): string => (type === 'email' ? 'email' : `id_${type}`);

/** One value of a field (the first, when it was sent twice), trimmed. */
export function one(values: FormValues, name: string): string {
  const v = values[name];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
}

/** Every value of a field (checkboxes). */
export function all(values: FormValues, name: string): string[] {
  const v = values[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((x) => x.trim()).filter((x) => x !== '');
}

export interface FormOptions {
  type: RequestType;
  language: 'en' | 'fr';
  /** The identity types the organisation's systems know, email first. */
  identityTypes: readonly string[];
  /** The activity ids a person may name (objection, withdrawal of consent). */
  activityIds: readonly string[];
}

/** Reads a posted form; every problem at once, each on its field. */
export function parseRequestForm(values: FormValues, options: FormOptions, s: CenterStrings): Parsed {
  const errors: FieldError[] = [];
  const fill = (t: string, vars: Record<string, string | number>) => t.replace(/\{(\w+)\}/g, (_m, k: string) => String(vars[k] ?? ''));
  const text = (name: string, max: number, required: boolean): string | undefined => {
    const v = one(values, name);
    if (v === '') {
      if (required) errors.push({ field: name, message: s.error_required });
      return undefined;
    }
    if ([...v].length > max) {
      errors.push({ field: name, message: fill(s.error_too_long, { max }) });
      return undefined;
    }
    return v;
  };
  const choice = <T extends string>(name: string, allowed: readonly T[], required: boolean): T | undefined => {
    const v = one(values, name);
    if ((allowed as readonly string[]).includes(v)) return v as T;
    if (required || v !== '') errors.push({ field: name, message: s.error_choose });
    return undefined;
  };

  const identities: { type: string; value: string }[] = [];
  for (const type of options.identityTypes) {
    const name = identityField(type);
    const value = text(name, LIMITS.identity, type === 'email');
    if (value === undefined) continue;
    if (isEmailType(type) && !Email.safeParse(value).success) {
      errors.push({ field: name, message: s.error_email });
      continue;
    }
    identities.push({ type, value });
  }

  const activities = (name: string): string[] | undefined => {
    const chosen = all(values, name).filter((a) => options.activityIds.includes(a));
    return chosen.length > 0 ? chosen : undefined;
  };

  let details: RequestDetails | undefined;
  switch (options.type) {
    case 'access':
    case 'lift_restriction':
      details = { type: options.type };
      break;
    case 'portability': {
      const controller = text('transmit_controller', LIMITS.short, false);
      const url = text('transmit_url', 2048, false);
      if (url !== undefined && !isHttpsUrl(url)) errors.push({ field: 'transmit_url', message: s.error_url });
      else if ((controller === undefined) !== (url === undefined) && !errors.some((e) => e.field.startsWith('transmit_'))) {
        errors.push({ field: controller === undefined ? 'transmit_controller' : 'transmit_url', message: s.error_transmit_pair });
      }
      details = controller !== undefined && url !== undefined ? { type: 'portability', transmit_to: { controller, url } } : { type: 'portability' };
      break;
    }
    case 'rectification': {
      const corrections: { what: string; corrected: string }[] = [];
      for (let n = 1; n <= correctionRows(values); n++) {
        const what = text(`what_${n}`, LIMITS.short, n === 1);
        const corrected = text(`corrected_${n}`, LIMITS.text, n === 1 || what !== undefined);
        if (n > 1 && what === undefined && corrected !== undefined) errors.push({ field: `what_${n}`, message: s.error_required });
        if (what !== undefined && corrected !== undefined) corrections.push({ what, corrected });
      }
      details = { type: 'rectification', corrections };
      break;
    }
    case 'erasure': {
      const grounds = choice('grounds', [...ERASURE_GROUNDS, 'unstated'] as const, false);
      details = grounds === undefined || grounds === 'unstated' ? { type: 'erasure' } : { type: 'erasure', grounds };
      break;
    }
    case 'restriction': {
      const grounds = choice('grounds', RESTRICTION_GROUNDS, true);
      details = { type: 'restriction', grounds: grounds ?? 'accuracy_contested' };
      break;
    }
    case 'objection': {
      const marketing = choice('direct_marketing', ['yes', 'no'] as const, true);
      const grounds = text('grounds', LIMITS.long, false);
      if (marketing === 'no' && grounds === undefined && !errors.some((e) => e.field === 'grounds')) errors.push({ field: 'grounds', message: s.error_grounds });
      const chosen = activities('activities');
      details = { type: 'objection', direct_marketing: marketing === 'yes', ...(chosen ? { activities: chosen } : {}), ...(grounds !== undefined ? { grounds } : {}) };
      break;
    }
    case 'withdraw_consent': {
      const chosen = activities('activities');
      details = { type: 'withdraw_consent', ...(chosen ? { activities: chosen } : {}) };
      break;
    }
    case 'automated_decision_review': {
      const decision = text('decision', LIMITS.text, true);
      const pointOfView = text('point_of_view', LIMITS.long, false);
      details = { type: 'automated_decision_review', decision: decision ?? '', ...(pointOfView !== undefined ? { point_of_view: pointOfView } : {}) };
      break;
    }
    case 'post_mortem': {
      const action = choice('action', ['record_directives', 'notify_death'] as const, true);
      const scope = choice('scope', ['general', 'specific'] as const, false);
      const directives = text('directives', LIMITS.directives, false);
      if (action === 'record_directives' && (scope === undefined || directives === undefined) && !errors.some((e) => e.field === 'scope' || e.field === 'directives')) {
        errors.push({ field: scope === undefined ? 'scope' : 'directives', message: s.error_directives });
      }
      const name = text('designated_name', LIMITS.short, false);
      const email = text('designated_email', LIMITS.identity, false);
      if (email !== undefined && !Email.safeParse(email).success) errors.push({ field: 'designated_email', message: s.error_email });
      else if ((name === undefined) !== (email === undefined) && !errors.some((e) => e.field.startsWith('designated_'))) {
        errors.push({ field: name === undefined ? 'designated_name' : 'designated_email', message: s.error_designated_pair });
      }
      details = {
        type: 'post_mortem',
        action: action ?? 'notify_death',
        ...(scope !== undefined ? { scope } : {}),
        ...(directives !== undefined ? { directives } : {}),
        ...(name !== undefined && email !== undefined ? { designated_person: { name, email } } : {}),
      };
      break;
    }
  }
  const message = text('message', LIMITS.long, false);
  if (errors.length > 0 || details === undefined) return { ok: false, errors };
  return { ok: true, body: { language: options.language, identities, details, ...(message !== undefined ? { message } : {}) } };
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

/** A code as people type or paste it: spaces and dashes dropped. */
export function normaliseCode(value: string): string | undefined {
  const code = value.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(code) ? code : undefined;
}

/** A status key as given at submission (base64url, 43 characters), spaces from a copy dropped. */
export function normaliseKey(value: string): string | undefined {
  const key = value.replace(/\s/g, '');
  return /^[A-Za-z0-9_-]{20,200}$/.test(key) ? key : undefined;
}
