/**
 * The privacy center's pages, as HTML strings from plain data: the home page (the rights and what
 * the register says is processed, Art. 12(1), 13), one form per right (Art. 15-22, loi Informatique
 * et Libertés art. 85), the key and code pages (Art. 12(6)), the status page (Art. 12(3), 19) and
 * the download page (Art. 15(3), 20). Pure: the routes fetch the data through the desk's API and
 * send what these return. Forms work without a script: a post the server answers with the page
 * again, an error summary at the top and each message tied to its field (WCAG 3.3.1, 3.3.3).
 */
import type { RequestType } from '../desk/request-types.js';
import type { CenterStrings } from './i18n/en.js';
import { CENTER_STRINGS, centerBase, esc, fill, fillEscaped, layout, withLang, type CenterAssets, type CenterLanguage, type CenterOrganisation } from './layout.js';
import { correctionRows, ERASURE_GROUNDS, identityField, LIMITS, MAX_CORRECTION_ROWS, one, RESTRICTION_GROUNDS, type FieldError, type FormValues } from './request-forms.js';
import type { ActivitySummary } from './rights-summary.js';

export interface PageBase {
  lang: CenterLanguage;
  org: CenterOrganisation;
  assets: CenterAssets;
}

export interface RequestFormData {
  rights: readonly RequestType[];
  identityTypes: readonly { type: string; confirmed_by: 'code' | 'staff' }[];
  activities: readonly ActivitySummary[];
}

export interface PublicRequest {
  id: string;
  reference: string;
  type: RequestType;
  state: string;
  received_on: string;
  due_on: string;
  identities: readonly { identity: number; type: string; masked: string; confirmed: boolean }[];
}

export interface RecipientLine {
  name: string;
  told: 'told' | 'being_told' | 'not_told';
  told_on: string | null;
}

const FINAL = new Set(['completed', 'refused', 'withdrawn']);
const other = (lang: CenterLanguage): CenterLanguage => (lang === 'en' ? 'fr' : 'en');
export const requestBase = (org: string, id: string): string => `${centerBase(org)}/requests/${encodeURIComponent(id)}`;

function page(base: PageBase, title: string, body: string, path: string, mainAttributes?: string): string {
  return layout({ lang: base.lang, org: base.org, title, body, switchHref: withLang(path, other(base.lang)), assets: base.assets, ...(mainAttributes ? { mainAttributes } : {}) });
}

function formatDate(day: string, lang: CenterLanguage): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

// ---------------------------------------------------------------------------
// Pieces
// ---------------------------------------------------------------------------

/** The error summary (WCAG 3.3.1): focused by the script, announced, each item a link to its field. */
function errorSummary(s: CenterStrings, errors: readonly FieldError[], labels: Record<string, string>): string {
  if (errors.length === 0) return '';
  const items = errors.map((e) => `<li><a href="#f-${esc(e.field)}">${labels[e.field] ? `${esc(labels[e.field]!)}${esc(s.colon)}` : ''}${esc(e.message)}</a></li>`);
  return `<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" id="error-summary"><h2 id="error-summary-title">${esc(s.error_summary)}</h2><ul>${items.join('')}</ul></div>`;
}

/** A message for the whole page (a code sent, a refused request): announced politely. */
function pageMessage(message: string | undefined, kind: 'status' | 'alert' = 'status'): string {
  if (!message) return '';
  return kind === 'alert'
    ? `<div class="error-summary" role="alert" tabindex="-1" id="error-summary"><p class="error-message">${esc(message)}</p></div>`
    : `<div class="notice-box" role="status"><p>${esc(message)}</p></div>`;
}

interface FieldSpec {
  name: string;
  label: string;
  hint?: string | undefined;
  type?: 'text' | 'email' | 'url' | 'tel' | 'textarea';
  required?: boolean;
  max: number;
  autocomplete?: string;
  inputmode?: string;
  className?: string;
}

function field(s: CenterStrings, spec: FieldSpec, values: FormValues, errors: readonly FieldError[]): string {
  const id = `f-${spec.name}`;
  const error = errors.find((e) => e.field === spec.name);
  const described = [spec.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const value = one(values, spec.name);
  const attrs = [
    `id="${id}"`,
    `name="${esc(spec.name)}"`,
    // Checked by the server (and the script), not the browser: its own messages vary and are not tied to the field.
    spec.required ? 'aria-required="true"' : '',
    `maxlength="${spec.max}"`,
    spec.autocomplete ? `autocomplete="${esc(spec.autocomplete)}"` : '',
    spec.inputmode ? `inputmode="${esc(spec.inputmode)}"` : '',
    spec.className ? `class="${esc(spec.className)}"` : '',
    described ? `aria-describedby="${described}"` : '',
    error ? 'aria-invalid="true"' : '',
  ].filter(Boolean).join(' ');
  const control =
    spec.type === 'textarea'
      ? `<textarea ${attrs} rows="5">${esc(value)}</textarea>`
      : `<input type="${spec.type ?? 'text'}" ${attrs} value="${esc(value)}"${spec.type === 'email' ? ' spellcheck="false"' : ''}>`;
  return [
    `<div class="field">`,
    `<label for="${id}">${esc(spec.label)} <span class="req">(${esc(spec.required ? s.required : s.optional)})</span></label>`,
    spec.hint ? `<p class="hint" id="${id}-hint">${esc(spec.hint)}</p>` : '',
    `<p class="error-message" id="${id}-error"${error ? '' : ' hidden'}>${error ? esc(error.message) : ''}</p>`,
    control,
    '</div>',
  ].join('');
}

function choices(
  s: CenterStrings,
  spec: { name: string; legend: string; hint?: string; required?: boolean; multiple?: boolean; options: readonly { value: string; label: string }[] },
  values: FormValues,
  errors: readonly FieldError[],
  checkedByDefault?: string,
): string {
  const id = `f-${spec.name}`;
  const error = errors.find((e) => e.field === spec.name);
  const chosen = new Set(Array.isArray(values[spec.name]) ? (values[spec.name] as string[]) : values[spec.name] !== undefined ? [values[spec.name] as string] : checkedByDefault ? [checkedByDefault] : []);
  const described = [spec.hint ? `${id}-hint` : '', `${id}-error`].filter(Boolean).join(' ');
  const inputs = spec.options.map((o, i) => {
    // The first choice carries the group's id: the error summary's link lands on it.
    const inputId = i === 0 ? id : `${id}-${o.value}`;
    return `<div class="choice"><input type="${spec.multiple ? 'checkbox' : 'radio'}" id="${esc(inputId)}" name="${esc(spec.name)}" value="${esc(o.value)}"${chosen.has(o.value) ? ' checked' : ''}${error ? ' aria-invalid="true"' : ''}><label for="${esc(inputId)}">${esc(o.label)}</label></div>`;
  });
  return [
    `<fieldset id="${id}-group" aria-describedby="${described}"${spec.required && !spec.multiple ? ' data-required="radio"' : ''}>`,
    `<legend>${esc(spec.legend)}${spec.multiple ? '' : ` <span class="req">(${esc(spec.required ? s.required : s.optional)})</span>`}</legend>`,
    spec.hint ? `<p class="hint" id="${id}-hint">${esc(spec.hint)}</p>` : '',
    `<p class="error-message" id="${id}-error"${error ? '' : ' hidden'}>${error ? esc(error.message) : ''}</p>`,
    ...inputs,
    '</fieldset>',
  ].join('');
}

/** The messages the enhancement script shows, the same as the server's (data attributes: no inline script). */
function validationMessages(s: CenterStrings): string {
  return [
    `data-msg-required="${esc(s.error_required)}"`,
    `data-msg-choose="${esc(s.error_choose)}"`,
    `data-msg-email="${esc(s.error_email)}"`,
    `data-msg-code="${esc(s.code_format)}"`,
    `data-msg-summary="${esc(s.error_summary)}"`,
  ].join(' ');
}

function hidden(name: string, value: string): string {
  return `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`;
}

// ---------------------------------------------------------------------------
// Home
// ---------------------------------------------------------------------------

export function homePage(base: PageBase, form: RequestFormData): string {
  const s = CENTER_STRINGS[base.lang];
  const home = centerBase(base.org.id);
  const rights = form.rights.map((type) => {
    const r = s.rights[type];
    return `<li><a href="${esc(withLang(`${home}/ask/${type}`, base.lang))}">${esc(r.title)}</a><p>${esc(r.summary)} <span class="article">(${esc(r.article)})</span></p></li>`;
  });
  const list = (items: readonly string[]) => (items.length === 0 ? esc(s.not_stated) : items.length === 1 ? esc(items[0]!) : `<ul>${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`);
  const notice = `/privacy-notice?org=${encodeURIComponent(base.org.id)}&lang=${base.lang}`;
  const activities = form.activities.map((a, i) =>
    [
      // Disclosed one at a time (no script needed): the list of activities stays short to read.
      `<details class="activity" id="activity-${i}"><summary>${esc(a.name)}</summary>`,
      '<dl>',
      `<dt>${esc(s.why)}</dt><dd>${list(a.purposes)}</dd>`,
      `<dt>${esc(s.what)}</dt><dd>${list(a.data)}</dd>`,
      `<dt>${esc(s.how_long)}</dt><dd>${list(a.retention)}</dd>`,
      `<dt>${esc(s.who)}</dt><dd>${list(a.recipients)}</dd>`,
      '</dl>',
      `<p><a href="${esc(`${notice}#${a.anchor}`)}">${fillEscaped(s.more_about, { activity: a.name })}</a></p>`,
      '</details>',
    ].join(''),
  );
  const body = [
    `<h1>${fillEscaped(s.home_title, { organisation: base.org.name })}</h1>`,
    `<p>${fillEscaped(s.home_intro, { organisation: base.org.name })}</p>`,
    `<h2 id="rights">${esc(s.rights_heading)}</h2>`,
    `<p>${esc(s.rights_intro)}</p>`,
    `<ul class="rights" aria-labelledby="rights">${rights.join('')}</ul>`,
    `<h2>${esc(s.follow_heading)}</h2>`,
    `<p>${esc(s.follow_intro)}</p>`,
    `<h2>${esc(s.processing_heading)}</h2>`,
    `<p>${activities.length === 0 ? esc(s.processing_none) : `${esc(s.processing_intro)} <a href="${esc(notice)}">${esc(s.notice_link)}</a>`}</p>`,
    ...activities,
  ].join('\n');
  return page(base, fill(s.home_title, { organisation: base.org.name }), body, home);
}

// ---------------------------------------------------------------------------
// Request forms
// ---------------------------------------------------------------------------

export interface FormPageInput {
  type: RequestType;
  form: RequestFormData;
  values: FormValues;
  errors: readonly FieldError[];
  /** An error of the whole form (the API refused, a limit): shown at the top. */
  formError?: string | undefined;
}

/** The labels of a form's fields, for the error summary. */
function fieldLabels(s: CenterStrings, input: FormPageInput): Record<string, string> {
  const labels: Record<string, string> = { message: s.message_label, transmit_controller: s.transmit_controller, transmit_url: s.transmit_url, grounds: input.type === 'objection' ? s.grounds_label : input.type === 'restriction' ? s.restriction_legend : s.erasure_legend };
  for (const t of input.form.identityTypes) labels[identityField(t.type)] = identityLabel(s, t.type);
  for (let n = 1; n <= MAX_CORRECTION_ROWS; n++) {
    labels[`what_${n}`] = fill(s.correction_what, { n });
    labels[`corrected_${n}`] = fill(s.correction_value, { n });
  }
  Object.assign(labels, {
    direct_marketing: s.objection_legend,
    decision: s.decision_label,
    point_of_view: s.point_of_view_label,
    action: s.post_mortem_legend,
    scope: s.scope_legend,
    directives: s.directives_label,
    designated_name: s.designated_name,
    designated_email: s.designated_email,
  });
  return labels;
}

export function identityLabel(s: CenterStrings, type: string): string {
  return s.identity_labels[type] ?? type.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

export function formPage(base: PageBase, input: FormPageInput): string {
  const s = CENTER_STRINGS[base.lang];
  const r = s.rights[input.type];
  const { values, errors } = input;
  const action = withLang(`${centerBase(base.org.id)}/ask/${input.type}`, base.lang);
  const f = (spec: FieldSpec) => field(s, spec, values, errors);
  const parts: string[] = [];
  /** The rectification's "add another correction" button, after the one that sends the form. */
  let addRow = '';
  // Art. 12(6): the identity the systems know the person by; email confirmed by a code.
  const identities = input.form.identityTypes.map((t, i) =>
    f({
      name: identityField(t.type),
      label: identityLabel(s, t.type),
      hint: i === 0 ? s.identity_hint : s.identity_other_hint,
      type: t.type === 'email' || t.type.endsWith('_email') ? 'email' : t.type.startsWith('phone') ? 'tel' : 'text',
      required: t.type === 'email',
      max: LIMITS.identity,
      autocomplete: t.type === 'email' ? 'email' : t.type.startsWith('phone') ? 'tel' : 'off',
    }),
  );
  parts.push(`<fieldset><legend>${esc(s.identity_legend)}</legend>${identities.join('')}</fieldset>`);
  const activityOptions = (onlyConsent: boolean) => input.form.activities.filter((a) => !onlyConsent || a.consent).map((a) => ({ value: a.id, label: a.name }));
  switch (input.type) {
    case 'portability':
      parts.push(
        `<fieldset><legend>${esc(s.transmit_legend)}</legend><p class="hint">${esc(s.transmit_hint)}</p>`,
        f({ name: 'transmit_controller', label: s.transmit_controller, max: LIMITS.short, autocomplete: 'organization' }),
        f({ name: 'transmit_url', label: s.transmit_url, type: 'url', max: 2048, autocomplete: 'url' }),
        '</fieldset>',
      );
      break;
    case 'rectification': {
      // Art. 16: as many corrections as the person needs, within a bound: one more row at a time, by a
      // button the server answers with the form again (values kept), or the script adds it in place.
      const rows = correctionRows(values);
      parts.push(`<fieldset id="corrections"><legend>${esc(s.corrections_legend)}</legend>`, hidden('rows', String(rows)));
      for (let n = 1; n <= rows; n++) {
        parts.push(
          `<div class="correction" data-row="${n}">`,
          f({ name: `what_${n}`, label: fill(s.correction_what, { n }), ...(n === 1 ? { hint: s.correction_what_hint } : {}), required: n === 1, max: LIMITS.short }),
          f({ name: `corrected_${n}`, label: fill(s.correction_value, { n }), required: n === 1, max: LIMITS.text }),
          '</div>',
        );
      }
      if (rows < MAX_CORRECTION_ROWS) {
        // After "Send" (below): the first submit button is the one Enter in a field presses. Without a
        // script the page comes back at the new row (the fragment); the script moves the button here and
        // reads the labels from it.
        const addAction = `${withLang(`${centerBase(base.org.id)}/ask/rectification`, base.lang)}#f-what_${rows + 1}`;
        addRow = `<button type="submit" class="secondary" name="add_row" value="1" formaction="${esc(addAction)}" data-add-row data-max="${MAX_CORRECTION_ROWS}" data-label-what="${esc(s.correction_what)}" data-label-value="${esc(s.correction_value)}" data-max-text="${esc(fill(s.correction_max, { max: MAX_CORRECTION_ROWS }))}">${esc(s.correction_add)}</button>`;
      }
      parts.push(rows < MAX_CORRECTION_ROWS ? '' : `<p class="hint">${esc(fill(s.correction_max, { max: MAX_CORRECTION_ROWS }))}</p>`, '</fieldset>');
      break;
    }
    case 'erasure':
      parts.push(choices(s, { name: 'grounds', legend: s.erasure_legend, options: (['unstated', ...ERASURE_GROUNDS] as const).map((g) => ({ value: g, label: s.erasure_grounds[g] })) }, values, errors, 'unstated'));
      break;
    case 'restriction':
      parts.push(choices(s, { name: 'grounds', legend: s.restriction_legend, required: true, options: RESTRICTION_GROUNDS.map((g) => ({ value: g, label: s.restriction_grounds[g] })) }, values, errors));
      break;
    case 'objection':
      parts.push(
        choices(s, { name: 'direct_marketing', legend: s.objection_legend, required: true, options: [{ value: 'yes', label: s.objection_marketing }, { value: 'no', label: s.objection_other }] }, values, errors),
        activityOptions(false).length > 0 ? choices(s, { name: 'activities', legend: s.activities_legend, multiple: true, options: activityOptions(false) }, values, errors) : '',
        f({ name: 'grounds', label: s.grounds_label, hint: s.grounds_hint, type: 'textarea', max: LIMITS.long }),
      );
      break;
    case 'withdraw_consent':
      parts.push(activityOptions(true).length > 0 ? choices(s, { name: 'activities', legend: s.consent_activities_legend, multiple: true, options: activityOptions(true) }, values, errors) : `<p>${esc(s.consent_none)}</p>`);
      break;
    case 'automated_decision_review':
      parts.push(
        f({ name: 'decision', label: s.decision_label, hint: s.decision_hint, type: 'textarea', required: true, max: LIMITS.text }),
        f({ name: 'point_of_view', label: s.point_of_view_label, type: 'textarea', max: LIMITS.long }),
      );
      break;
    case 'post_mortem':
      parts.push(
        choices(s, { name: 'action', legend: s.post_mortem_legend, required: true, options: [{ value: 'record_directives', label: s.post_mortem_record }, { value: 'notify_death', label: s.post_mortem_notify }] }, values, errors),
        choices(s, { name: 'scope', legend: s.scope_legend, options: [{ value: 'general', label: s.scope_general }, { value: 'specific', label: fill(s.scope_specific, { organisation: base.org.name }) }] }, values, errors),
        f({ name: 'directives', label: s.directives_label, hint: s.directives_hint, type: 'textarea', max: LIMITS.directives }),
        `<fieldset><legend>${esc(s.designated_name)}</legend><p class="hint">${esc(s.designated_hint)}</p>`,
        f({ name: 'designated_name', label: s.designated_name, max: LIMITS.short, autocomplete: 'off' }),
        f({ name: 'designated_email', label: s.designated_email, type: 'email', max: LIMITS.identity, autocomplete: 'off' }),
        '</fieldset>',
      );
      break;
    default:
      break;
  }
  parts.push(f({ name: 'message', label: s.message_label, hint: s.message_hint, type: 'textarea', max: LIMITS.long }));
  const body = [
    `<h1>${esc(r.title)}</h1>`,
    `<p>${esc(r.summary)} <span class="article">(${esc(r.article)})</span></p>`,
    errorSummary(s, errors, fieldLabels(s, input)),
    pageMessage(input.formError, 'alert'),
    `<p>${esc(s.form_intro)}</p>`,
    `<form method="post" action="${esc(action)}" novalidate data-validate ${validationMessages(s)}>`,
    ...parts,
    `<div class="actions"><button type="submit">${esc(s.submit)}</button>${addRow}</div>`,
    '</form>',
  ].join('\n');
  const title = errors.length > 0 || input.formError ? `${s.error_summary}${s.colon}${r.title}` : r.title;
  return page(base, title, body, `${centerBase(base.org.id)}/ask/${input.type}`);
}

// ---------------------------------------------------------------------------
// After submission: the key, and the code
// ---------------------------------------------------------------------------

export interface CodeFormsInput {
  request: PublicRequest;
  /** Put the key in the forms (the page right after submission, or a key typed in): a POST body, never a URL. */
  key?: string | undefined;
  errors?: readonly FieldError[];
  values?: FormValues;
}

function codeForms(base: PageBase, input: CodeFormsInput): string {
  const s = CENTER_STRINGS[base.lang];
  const reqBase = requestBase(base.org.id, input.request.id);
  const pending = input.request.identities.filter((i) => !i.confirmed && (i.type === 'email' || i.type.endsWith('_email')));
  if (pending.length === 0) return `<p>${esc(s.code_none_pending)}</p>`;
  return pending
    .map((i) => {
      const name = pending.length === 1 ? 'code' : `code`;
      const errors = (input.errors ?? []).filter((e) => e.field === 'code' && one(input.values ?? {}, 'identity') === String(i.identity));
      return [
        `<form method="post" action="${esc(withLang(`${reqBase}/code`, base.lang))}" novalidate data-validate ${validationMessages(s)}>`,
        hidden('identity', String(i.identity)),
        input.key ? hidden('key', input.key) : '',
        `<p>${fillEscaped(s.code_intro, { address: i.masked })}</p>`,
        field(s, { name, label: s.code_label, hint: s.code_hint, required: true, max: 12, autocomplete: 'one-time-code', inputmode: 'numeric', className: 'code' }, {}, errors),
        `<div class="actions"><button type="submit">${esc(s.code_submit)}</button></div>`,
        '</form>',
        `<form method="post" action="${esc(withLang(`${reqBase}/code/new`, base.lang))}">`,
        hidden('identity', String(i.identity)),
        input.key ? hidden('key', input.key) : '',
        `<div class="actions"><button type="submit" class="secondary">${esc(s.code_resend)}</button></div>`,
        '</form>',
      ].join('\n');
    })
    .join('\n');
}

export function submittedPage(base: PageBase, input: { request: PublicRequest; key: string; codes: readonly { identity: number; sent: boolean; reason?: string | undefined }[] }): string {
  const s = CENTER_STRINGS[base.lang];
  const reqBase = requestBase(base.org.id, input.request.id);
  const notSent = input.codes
    .filter((c) => !c.sent)
    .map((c) => {
      const identity = input.request.identities.find((i) => i.identity === c.identity);
      return identity ? `<p>${fillEscaped(s.code_not_sent, { address: identity.masked, reason: c.reason ?? '' })}</p>` : '';
    });
  const body = [
    `<h1>${esc(s.submitted_title)}</h1>`,
    `<p role="status">${fillEscaped(s.submitted_reference, { reference: input.request.reference })}</p>`,
    '<section class="notice-box" aria-labelledby="key-heading">',
    `<h2 id="key-heading">${esc(s.key_heading)}</h2>`,
    `<p>${esc(s.key_intro)}</p>`,
    `<p><span class="visually-hidden">${esc(s.key_label)}${esc(s.colon)}</span><code class="key" id="status-key">${esc(input.key)}</code></p>`,
    '</section>',
    `<h2>${esc(s.code_heading)}</h2>`,
    ...notSent,
    codeForms(base, { request: input.request, key: input.key }),
    `<p><a href="${esc(withLang(reqBase, base.lang))}">${esc(s.status_link)}</a></p>`,
  ].join('\n');
  return page(base, s.submitted_title, body, reqBase);
}

export function codePage(base: PageBase, input: CodeFormsInput & { message?: string | undefined; alert?: string | undefined }): string {
  const s = CENTER_STRINGS[base.lang];
  const reqBase = requestBase(base.org.id, input.request.id);
  const errors = input.errors ?? [];
  const body = [
    `<h1>${esc(s.code_page_title)}</h1>`,
    errorSummary(s, errors, { code: s.code_label }),
    pageMessage(input.alert, 'alert'),
    pageMessage(input.message),
    codeForms(base, input),
    `<p><a href="${esc(withLang(reqBase, base.lang))}">${esc(s.status_link)}</a></p>`,
  ].join('\n');
  return page(base, errors.length > 0 || input.alert ? `${s.error_summary}${s.colon}${s.code_page_title}` : s.code_page_title, body, `${reqBase}/code`);
}

/** The code field of the key page (the code page opened in a browser without the key). */
export function codeField(lang: CenterLanguage): string {
  const s = CENTER_STRINGS[lang];
  return field(s, { name: 'code', label: s.code_label, hint: s.code_hint, required: true, max: 12, autocomplete: 'one-time-code', inputmode: 'numeric', className: 'code' }, {}, []);
}

/** The key asked for in a form (no cookie in this browser): posted, never put in a URL. */
export function keyPage(base: PageBase, input: { action: string; path: string; title: string; intro?: string; error?: string | undefined; hiddenFields?: Record<string, string>; extra?: string }): string {
  const s = CENTER_STRINGS[base.lang];
  const errors: FieldError[] = input.error ? [{ field: 'key', message: input.error }] : [];
  const body = [
    `<h1>${esc(input.title)}</h1>`,
    errorSummary(s, errors, { key: s.key_label }),
    `<p>${esc(input.intro ?? s.key_form_intro)}</p>`,
    `<form method="post" action="${esc(withLang(input.action, base.lang))}" novalidate data-validate ${validationMessages(s)}>`,
    ...Object.entries(input.hiddenFields ?? {}).map(([k, v]) => hidden(k, v)),
    field(s, { name: 'key', label: s.key_label, required: true, max: 200, autocomplete: 'off' }, {}, errors),
    input.extra ?? '',
    `<div class="actions"><button type="submit">${esc(s.key_form_submit)}</button></div>`,
    '</form>',
  ].join('\n');
  return page(base, errors.length > 0 ? `${s.error_summary}${s.colon}${input.title}` : input.title, body, input.path);
}

// ---------------------------------------------------------------------------
// Status and download
// ---------------------------------------------------------------------------

export function statusPage(base: PageBase, input: { request: PublicRequest; recipients: readonly RecipientLine[]; message?: string | undefined }): string {
  const s = CENTER_STRINGS[base.lang];
  const r = input.request;
  const reqBase = requestBase(base.org.id, r.id);
  const identities = r.identities.map((i) => `<li>${esc(i.masked)} — ${esc(i.confirmed ? s.status_confirmed : s.status_unconfirmed)}</li>`).join('');
  const needsCode = !FINAL.has(r.state) && r.identities.some((i) => !i.confirmed && (i.type === 'email' || i.type.endsWith('_email')));
  const toldText = (x: RecipientLine) =>
    x.told === 'told' ? fill(s.recipient_told, { date: x.told_on ? formatDate(x.told_on.slice(0, 10), base.lang) : '' }) : x.told === 'being_told' ? s.recipient_being_told : s.recipient_not_told;
  // Art. 19 tells recipients of a change made: a request refused or withdrawn makes none, so there is nothing to say of them.
  const changes = (r.type === 'rectification' || r.type === 'erasure' || r.type === 'restriction' || r.type === 'lift_restriction') && r.state !== 'refused' && r.state !== 'withdrawn';
  const recipients = changes || input.recipients.length > 0
    ? [
        `<h2>${esc(s.recipients_heading)}</h2>`,
        `<p>${esc(s.recipients_intro)}</p>`,
        // Art. 19 applies once the change is made: before, there is no one to list yet.
        input.recipients.length === 0 ? `<p>${esc(r.state === 'completed' ? s.recipients_none : s.recipients_pending)}</p>` : `<ul>${input.recipients.map((x) => `<li>${esc(x.name)} — ${esc(toldText(x))}</li>`).join('')}</ul>`,
      ].join('\n')
    : '';
  const running = !FINAL.has(r.state);
  const body = [
    `<h1>${esc(s.status_title)}</h1>`,
    pageMessage(input.message),
    `<div id="status" aria-live="polite">`,
    '<dl>',
    `<dt>${esc(s.status_type)}</dt><dd>${esc(s.rights[r.type].title)} <span class="article">(${esc(s.rights[r.type].article)})</span></dd>`,
    `<dt>${esc(s.status_reference)}</dt><dd>${esc(r.reference)}</dd>`,
    `<dt>${esc(s.status_state)}</dt><dd>${esc(s.states[r.state] ?? r.state)}</dd>`,
    `<dt>${esc(s.status_received)}</dt><dd>${esc(formatDate(r.received_on, base.lang))}</dd>`,
    `<dt>${esc(s.status_due)}</dt><dd>${esc(formatDate(r.due_on, base.lang))}</dd>`,
    `<dt>${esc(s.status_identities)}</dt><dd><ul>${identities}</ul></dd>`,
    '</dl>',
    needsCode ? `<p><a href="${esc(withLang(`${reqBase}/code`, base.lang))}">${esc(s.status_confirm_link)}</a></p>` : '',
    recipients,
    '</div>',
    // Said only where it is true: the script shows it when it starts refreshing.
    running ? `<p class="hint" id="refresh-note" hidden>${esc(s.status_refreshing)}</p>` : '',
  ].join('\n');
  return page(base, s.status_title, body, reqBase, running ? ' data-refresh="30"' : '');
}

export function downloadPage(base: PageBase, input: { requestId: string; download: string; needKey: boolean; error?: string | undefined }): string {
  const s = CENTER_STRINGS[base.lang];
  const reqBase = requestBase(base.org.id, input.requestId);
  const errors: FieldError[] = input.error && input.needKey ? [{ field: 'key', message: input.error }] : [];
  const body = [
    `<h1>${esc(s.download_title)}</h1>`,
    errors.length > 0 ? errorSummary(s, errors, { key: s.key_label }) : pageMessage(input.error, 'alert'),
    `<p>${esc(s.download_intro)}</p>`,
    `<form method="post" action="${esc(withLang(`${reqBase}/download`, base.lang))}" novalidate${input.needKey ? ` data-validate ${validationMessages(s)}` : ''}>`,
    hidden('download', input.download),
    input.needKey ? `<p>${esc(s.key_form_intro)}</p>${field(s, { name: 'key', label: s.key_label, required: true, max: 200, autocomplete: 'off' }, {}, errors)}` : '',
    `<div class="actions"><button type="submit">${esc(s.download_submit)}</button></div>`,
    '</form>',
  ].join('\n');
  // The other language's link keeps the letter's download token (never the key).
  return page(base, errors.length > 0 || input.error ? `${s.error_summary}${s.colon}${s.download_title}` : s.download_title, body, `${reqBase}/download?download=${encodeURIComponent(input.download)}`);
}

/** A page that says what went wrong in plain words, never a stack trace. */
export function errorPage(base: PageBase, input: { title: string; message: string; path: string }): string {
  const s = CENTER_STRINGS[base.lang];
  const body = [`<h1>${esc(input.title)}</h1>`, `<p>${esc(input.message)}</p>`, `<p><a href="${esc(withLang(centerBase(base.org.id), base.lang))}">${esc(s.home_link)}</a></p>`].join('\n');
  return page(base, input.title, body, input.path);
}
