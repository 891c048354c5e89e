// The privacy center's enhancements. The pages work without them (plain forms the server answers,
// with the same messages); with a script they add: checking a form before it is sent, with the
// server's own messages tied to each field and a summary at the top (WCAG 3.3.1, 3.3.3); a code
// field that takes a pasted code whatever its spaces; a rectification form that adds a correction row
// in place (Art. 16), where without a script the server sends the form back with one more; and a status
// page that refreshes itself while the request is being handled (Art. 12(3): the person sees where it
// is without reloading).

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface Problem {
  id: string;
  label: string;
  message: string;
}

function labelOf(control: HTMLElement): string {
  const group = control.closest('fieldset[data-required]');
  const source = group ? group.querySelector('legend') : document.querySelector(`label[for="${control.id}"]`);
  if (!source) return '';
  // The visible label without its "(required)" mark.
  return Array.from(source.childNodes)
    .filter((n) => n.nodeType === Node.TEXT_NODE)
    .map((n) => n.textContent ?? '')
    .join('')
    .trim();
}

function errorSlot(id: string): HTMLElement | null {
  return document.getElementById(`${id}-error`);
}

function setError(control: HTMLElement, id: string, message: string | undefined): void {
  const slot = errorSlot(id);
  if (!slot) return;
  slot.textContent = message ?? '';
  slot.hidden = message === undefined;
  const targets = control.closest('fieldset[data-required]') ? Array.from(control.closest('fieldset')!.querySelectorAll('input')) : [control];
  for (const t of targets) {
    if (message === undefined) t.removeAttribute('aria-invalid');
    else t.setAttribute('aria-invalid', 'true');
  }
  const holder = control.closest('fieldset[data-required]') ?? control;
  const described = new Set((holder.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean));
  if (message === undefined) described.delete(slot.id);
  else described.add(slot.id);
  if (described.size > 0) holder.setAttribute('aria-describedby', [...described].join(' '));
  else holder.removeAttribute('aria-describedby');
}

function check(form: HTMLFormElement): Problem[] {
  const msg = form.dataset;
  const problems: Problem[] = [];
  const seenGroups = new Set<string>();
  for (const el of Array.from(form.elements)) {
    if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) || el.type === 'hidden' || !el.id) continue;
    let message: string | undefined;
    if (el instanceof HTMLInputElement && el.type === 'radio') {
      const group = el.closest('fieldset[data-required]');
      if (!group || seenGroups.has(el.name)) continue;
      seenGroups.add(el.name);
      const first = group.querySelector<HTMLInputElement>('input[type=radio]')!;
      if (!group.querySelector('input:checked')) message = msg.msgChoose;
      setError(first, first.id, message);
      if (message) problems.push({ id: first.id, label: labelOf(first), message });
      continue;
    }
    if (el instanceof HTMLInputElement && el.type === 'checkbox') continue;
    const value = el.value.trim();
    if (el.getAttribute('aria-required') === 'true' && value === '') message = msg.msgRequired;
    else if (value !== '' && el.type === 'email' && !EMAIL.test(value)) message = msg.msgEmail;
    else if (value !== '' && el.classList.contains('code') && !/^\d{6}$/.test(value.replace(/[\s-]/g, ''))) message = msg.msgCode;
    setError(el, el.id, message);
    if (message) problems.push({ id: el.id, label: labelOf(el), message });
  }
  return problems;
}

function showSummary(form: HTMLFormElement, problems: Problem[]): void {
  document.getElementById('error-summary')?.remove();
  if (problems.length === 0) return;
  const summary = document.createElement('div');
  summary.className = 'error-summary';
  summary.id = 'error-summary';
  summary.tabIndex = -1;
  summary.setAttribute('role', 'alert');
  summary.setAttribute('aria-labelledby', 'error-summary-title');
  const title = document.createElement('h2');
  title.id = 'error-summary-title';
  title.textContent = form.dataset.msgSummary ?? '';
  const list = document.createElement('ul');
  for (const p of problems) {
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.href = `#${p.id}`;
    link.textContent = p.label ? `${p.label}${document.documentElement.lang === 'fr' ? '\u00a0: ' : ': '}${p.message}` : p.message;
    link.addEventListener('click', (event) => {
      event.preventDefault();
      document.getElementById(p.id)?.focus();
    });
    item.append(link);
    list.append(item);
  }
  summary.append(title, list);
  form.before(summary);
  summary.focus();
}

function enhanceForm(form: HTMLFormElement): void {
  form.noValidate = true;
  form.addEventListener('submit', (event) => {
    const problems = check(form);
    if (problems.length > 0) {
      event.preventDefault();
      showSummary(form, problems);
    }
  });
  // A field fixed loses its message as soon as it is right, not before (no message while typing).
  form.addEventListener('change', (event) => {
    const el = event.target;
    if ((el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) && el.getAttribute('aria-invalid') === 'true') {
      const before = check(form).some((p) => p.id === el.id);
      if (!before) setError(el, el.id, undefined);
    }
  });
}

/** A code pasted with spaces or dashes ("123 456") is kept as its six digits. */
function enhanceCode(input: HTMLInputElement): void {
  input.addEventListener('paste', (event) => {
    const text = event.clipboardData?.getData('text') ?? '';
    const digits = text.replace(/\D/g, '');
    if (digits.length === 6) {
      event.preventDefault();
      input.value = digits;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }
  });
}

/** The status page while the request is handled: its facts fetched again, the live region updated when they change. */
function refreshStatus(main: HTMLElement): void {
  const seconds = Math.max(10, Number(main.dataset.refresh) || 30);
  const note = document.getElementById('refresh-note');
  if (note) note.hidden = false;
  const timer = window.setInterval(async () => {
    if (document.hidden) return;
    try {
      const answer = await fetch(window.location.pathname + window.location.search, { credentials: 'same-origin', headers: { accept: 'text/html' } });
      if (!answer.ok) return;
      const next = new DOMParser().parseFromString(await answer.text(), 'text/html');
      const fresh = next.getElementById('status');
      const current = document.getElementById('status');
      if (fresh && current && fresh.innerHTML !== current.innerHTML) current.innerHTML = fresh.innerHTML;
      if (!next.querySelector('main[data-refresh]')) window.clearInterval(timer);
    } catch {
      // Offline for a moment: the next tick tries again.
    }
  }, seconds * 1000);
}

/**
 * "Add another correction" in place: the last row copied, numbered one more, emptied, and focused (its
 * label says which it is). The button becomes a plain button beside the rows (the server puts it after
 * "Send", so that Enter in a field sends the form; a plain button is never the one Enter presses).
 */
function enhanceAddRow(button: HTMLButtonElement): void {
  const form = button.form;
  const count = form?.querySelector<HTMLInputElement>('input[name=rows]');
  const fieldset = count?.closest('fieldset');
  if (!form || !count || !fieldset) return;
  button.type = 'button';
  const holder = document.createElement('div');
  holder.className = 'actions';
  holder.append(button);
  fieldset.append(holder);
  const max = Number(button.dataset.max) || 20;
  button.addEventListener('click', () => {
    const rows = form.querySelectorAll<HTMLElement>('.correction');
    const last = rows[rows.length - 1];
    if (!last) return;
    const n = rows.length + 1;
    const row = last.cloneNode(true) as HTMLElement;
    row.dataset.row = String(n);
    const renumber = (value: string) => value.replace(/_\d+\b/g, `_${n}`);
    row.querySelectorAll('[id], [for], [name], [aria-describedby]').forEach((el) => {
      for (const attr of ['id', 'for', 'name', 'aria-describedby']) {
        const value = el.getAttribute(attr);
        if (value !== null) el.setAttribute(attr, renumber(value));
      }
    });
    row.querySelectorAll('label').forEach((label, i) => {
      const template = (i === 0 ? button.dataset.labelWhat : button.dataset.labelValue) ?? '';
      const text = Array.from(label.childNodes).find((c) => c.nodeType === Node.TEXT_NODE);
      if (text) text.textContent = `${template.replace('{n}', String(n))} `;
    });
    row.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea').forEach((field) => {
      field.value = '';
      field.removeAttribute('aria-invalid');
      const ids = (field.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id !== '' && !id.endsWith('-error'));
      if (ids.length > 0) field.setAttribute('aria-describedby', ids.join(' '));
      else field.removeAttribute('aria-describedby');
    });
    row.querySelectorAll<HTMLElement>('.error-message').forEach((slot) => {
      slot.textContent = '';
      slot.hidden = true;
    });
    last.after(row);
    count.value = String(n);
    if (n >= max) {
      const note = document.createElement('p');
      note.className = 'hint';
      note.textContent = button.dataset.maxText ?? '';
      holder.replaceWith(note);
    }
    row.querySelector<HTMLInputElement>('input')?.focus();
  });
}

function start(): void {
  document.querySelectorAll<HTMLFormElement>('form[data-validate]').forEach(enhanceForm);
  document.querySelectorAll<HTMLInputElement>('input.code').forEach(enhanceCode);
  document.querySelectorAll<HTMLButtonElement>('button[data-add-row]').forEach(enhanceAddRow);
  const main = document.querySelector<HTMLElement>('main[data-refresh]');
  if (main) refreshStatus(main);
  // A page answered with errors: the summary is where the keyboard and the screen reader start.
  document.getElementById('error-summary')?.focus();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
