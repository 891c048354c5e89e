/** What a request's page reads from the published register: the supervisory authority and the recipients' names. */

export interface RegisterFacts {
  /** The supervisory authority the refusal letter names (Art. 12(4)). */
  authority: string | undefined;
  /** Recipients' names by id (Art. 19 notices). */
  recipients: ReadonlyMap<string, string>;
}

export const NO_FACTS: RegisterFacts = { authority: undefined, recipients: new Map() };

export function registerFacts(register: Record<string, unknown> | undefined, lang: string): RegisterFacts {
  const named = (v: unknown): string | undefined => {
    if (typeof v === 'string') return v;
    if (typeof v !== 'object' || v === null) return undefined;
    const r = v as Record<string, unknown>;
    const mine = r[lang] ?? r.en;
    return typeof mine === 'string' ? mine : undefined;
  };
  const organisation = register?.organisation;
  const sa = typeof organisation === 'object' && organisation !== null ? (organisation as Record<string, unknown>).supervisory_authority : undefined;
  const authority = typeof sa === 'object' && sa !== null ? named((sa as Record<string, unknown>).name) : undefined;
  const recipients = new Map<string, string>();
  const list = register?.recipients;
  if (Array.isArray(list)) {
    for (const r of list) {
      if (typeof r !== 'object' || r === null) continue;
      const { id, name } = r as Record<string, unknown>;
      if (typeof id === 'string') recipients.set(id, named(name) ?? id);
    }
  }
  return { authority, recipients };
}
