/**
 * The letters to a person (Art. 12): every kind in English and French says what its article requires,
 * escapes every value in its HTML, writes French as French, and shows calendar dates as the desk
 * computed them whatever the time zone of the process.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { OpendpoError } from '../../src/errors/opendpo-error.js';
import { formatAmount, formatCalendarDate, LETTER_STRINGS } from '../../src/desk/letters/build-letter.js';
import { en } from '../../src/desk/letters/i18n/en.js';
import { fr } from '../../src/desk/letters/i18n/fr.js';
import { LETTER_KINDS, type LetterFacts, type LetterKind } from '../../src/desk/letters/letter-facts.js';
import { renderLetter, type RenderedLetter } from '../../src/desk/letters/render-letter.js';
import type { Language } from '../../src/register/schema.js';

const NBSP = '\u00a0';
const LANGS: readonly Language[] = ['en', 'fr'];

const common = {
  controller: { name: 'Acme Shop SAS', address: ['12 rue de la Paix', '75002 Paris', 'France'], email: 'privacy@acme.example' },
  dpo: { name: 'Jeanne Martin', email: 'dpo@acme.example', addressedAs: 'feminine' as const },
  supervisoryAuthority: {
    name: 'Commission nationale de l’informatique et des libertés (CNIL)',
    url: 'https://www.cnil.fr/fr/plaintes',
    address: ['3 place de Fontenoy', 'TSA 80715', '75334 Paris Cedex 07'],
  },
  request: { reference: 'R-2026-0042', type: 'access' as const, receivedOn: '2026-11-02', dueOn: '2026-12-02' },
};

const FACTS: { [K in LetterKind]: LetterFacts<K> } = {
  acknowledgement: common,
  identity_code: { ...common, code: '004217' },
  identity_request: {
    ...common,
    reason: 'The address the request names differs from the one on the account.',
    information: ['The order number of a recent purchase', 'The postcode of the delivery address'],
  },
  extension: { ...common, newDueOn: '2027-02-02', reasons: ['The request covers twelve years of orders', 'Forty requests arrived the same week'] },
  completion: {
    ...common,
    actions: ['Searched the shop database and the newsletter', 'Prepared a copy of your data'],
    download: { url: 'https://privacy.acme.example/packages/9f2c', expiresOn: '2026-12-16' },
  },
  download_link: { ...common, download: { url: 'https://privacy.acme.example/privacy-center/acme/requests/9f2c/download?download=abc', expiresOn: '2026-12-16' } },
  status_link: { ...common, followUrl: 'https://privacy.acme.example/privacy-center/acme/requests/0b0b0b0b-0000-4000-8000-000000000000?key=abc_DEF-123' },
  refusal: { ...common, reasons: ['The request is manifestly unfounded', 'The same request was answered last week'] },
  fee: {
    ...common,
    basis: 'unfounded_or_excessive',
    amountCents: 2500,
    currency: 'EUR',
    grounds: 'Fifth identical request within a month.',
    paymentInstructions: 'Bank transfer to FR76 0000 0000 0000, quoting R-2026-0042.',
  },
};

const render = <K extends LetterKind>(kind: K, lang: Language, facts?: LetterFacts<K>): RenderedLetter => renderLetter(kind, lang, facts ?? FACTS[kind]);
/** The text with non-breaking spaces read as spaces, for wording checks. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

/** Every tag closed in order, void elements excepted, no stray < or > outside tags, attributes quoted. */
function expectWellFormed(html: string) {
  expect(html.startsWith('<!DOCTYPE html>\n')).toBe(true);
  const stack: string[] = [];
  const VOID = new Set(['meta', 'br', 'hr']);
  for (const m of html.slice('<!DOCTYPE html>'.length).matchAll(/<(\/?)([a-z][a-z0-9]*)((?:\s+[a-z-]+="[^"<>]*")*)\s*>/g)) {
    const [, closing, name] = m;
    if (VOID.has(name!)) continue;
    if (closing) expect(stack.pop(), `</${name}>`).toBe(name);
    else stack.push(name!);
  }
  expect(stack).toEqual([]);
  const outside = html.slice('<!DOCTYPE html>'.length).replace(/<\/?[a-z][a-z0-9]*(?:\s+[a-z-]+="[^"<>]*")*\s*>/g, '');
  expect(outside).not.toMatch(/[<>]/);
}

describe('every letter, in English and in French', () => {
  for (const kind of LETTER_KINDS) {
    for (const lang of LANGS) {
      it(`${kind} (${lang}) renders a subject, a text and a well-formed HTML document saying the same`, () => {
        const l = render(kind, lang);
        expect(l.subject.length).toBeGreaterThan(10);
        expect(l.subject).not.toMatch(/[\r\n]/);
        expect(l.subject).toContain('R-2026-0042');
        for (const out of [l.text, l.html]) {
          expect(out).not.toMatch(/\{\w+\}|undefined|NaN|\[object/);
          expect(out).toContain('Acme Shop SAS');
          expect(out).toContain('privacy@acme.example');
          expect(out).toContain('R-2026-0042');
          expect(out).toContain('Jeanne Martin');
        }
        expect(l.text.startsWith(lang === 'en' ? 'Hello,\n\n' : 'Madame, Monsieur,\n\n')).toBe(true);
        expect(l.text).toContain('\n-- \nAcme Shop SAS\n12 rue de la Paix\n75002 Paris\nFrance\nprivacy@acme.example\n');
        expectWellFormed(l.html);
        expect(l.html).toContain(`<html lang="${lang}">`);
        expect(l.html).toContain('<meta charset="utf-8">');
        expect(l.html).toContain(`<title>${l.subject.replace(/&/g, '&amp;')}</title>`);
        expect(l.html).toContain('<a href="mailto:privacy@acme.example">privacy@acme.example</a>');
      });
    }
  }
});

describe('what each letter must say', () => {
  it('acknowledgement: the reference, the request, the day received and the day due (Art. 12(3))', () => {
    const e = plain(render('acknowledgement', 'en').text);
    expect(e).toContain('Reference: R-2026-0042');
    expect(e).toContain('Request: Access to your personal data (Art. 15 GDPR)');
    expect(e).toContain('Date received: 2 November 2026');
    expect(e).toContain('Answer due by: 2 December 2026');
    expect(e).toContain('by 2 December 2026 at the latest (Art. 12(3) GDPR)');
    expect(e).toContain('extended by two further months');
    const f = plain(render('acknowledgement', 'fr').text);
    expect(f).toContain('Référence : R-2026-0042');
    expect(f).toContain('Demande : Accès à vos données personnelles (art. 15 du RGPD)');
    expect(f).toContain('Date de réception : 2 novembre 2026');
    expect(f).toContain('Date limite de réponse : 2 décembre 2026');
    expect(f).toContain('au plus tard le 2 décembre 2026 (art. 12.3 du RGPD)');
    expect(f).toContain('prolongé de deux mois');
  });

  it('names every request type in both languages', () => {
    const types = ['access', 'portability', 'rectification', 'erasure', 'restriction', 'lift_restriction', 'objection', 'withdraw_consent', 'automated_decision_review', 'post_mortem'] as const;
    const labels = new Set<string>();
    for (const type of types) {
      for (const lang of LANGS) {
        const text = render('acknowledgement', lang, { ...common, request: { ...common.request, type } }).text;
        const label = /^(?:Request|Demande)\u00a0?: (.+)$/m.exec(text)?.[1];
        expect(label, `${type} ${lang}`).toBeDefined();
        labels.add(label!);
      }
    }
    expect(labels.size).toBe(types.length * 2);
  });

  it('identity code: the code, valid ten minutes, and "if you did not ask, ignore" (Art. 12(6))', () => {
    const e = render('identity_code', 'en');
    expect(e.text).toContain('\n\n004217\n\n');
    expect(e.text).toContain('It is valid for 10 minutes.');
    expect(e.text).toContain('If you did not make this request, ignore this email');
    expect(e.html).toMatch(/<p style="[^"]*">004217<\/p>/);
    expect(e.subject).not.toContain('004217');
    const f = plain(render('identity_code', 'fr').text);
    expect(f).toContain('\n\n004217\n\n');
    expect(f).toContain('Il est valable 10 minutes.');
    expect(f).toContain('Si vous n’êtes pas à l’origine de cette demande, ignorez ce message');
  });

  it('identity code of a request staff entered: the link that opens it where the desk holds its key, else back to the first link', () => {
    const url = 'https://privacy.acme.example/privacy-center/acme/requests/0b0b0b0b-0000-4000-8000-000000000000/code?key=abc_DEF-123';
    const e = render('identity_code', 'en', { ...FACTS.identity_code, enteredByStaff: { followUrl: url } });
    expect(plain(e.text).replace(/\s+/g, ' ')).toContain(`It is valid for 10 minutes. Open this link, which leads to your request on our privacy center, and enter the code there: ${url}`);
    expect(e.text).toContain('Keep this link to yourself');
    expect(e.text).not.toContain('the page where you made your request');
    expect(e.html).toContain(`href="${url}"`);
    expect(e.subject).not.toContain('key=');
    const f = plain(render('identity_code', 'fr', { ...FACTS.identity_code, enteredByStaff: { followUrl: url } }).text).replace(/\s+/g, ' ');
    expect(f).toContain(`Ouvrez ce lien, qui mène à votre demande sur notre espace vie privée, et saisissez-y le code : ${url}`);
    expect(f).toContain('Gardez ce lien pour vous');
    const later = plain(render('identity_code', 'en', { ...FACTS.identity_code, enteredByStaff: {} }).text).replace(/\s+/g, ' ');
    expect(later).toContain('open it from the link in our first email about this request, or in our letter.');
    expect(later).not.toContain('key=');
    expect(plain(render('identity_code', 'fr', { ...FACTS.identity_code, enteredByStaff: {} }).text).replace(/\s+/g, ' ')).toContain('ouvrez-la depuis le lien de notre premier message à ce sujet, ou de notre courrier.');
    expect(() => render('identity_code', 'en', { ...FACTS.identity_code, enteredByStaff: { followUrl: 'javascript:alert(1)' } })).toThrow(/followUrl/);
  });

  it('status link: the new link to follow the request, the earlier key gone, kept private, never in the subject (Art. 12(2))', () => {
    const url = FACTS.status_link.followUrl;
    const e = render('status_link', 'en');
    const text = plain(e.text).replace(/\s+/g, ' ');
    expect(e.subject).toBe('Request R-2026-0042: a new link to follow your request');
    expect(text).toContain(`Here is a new link to follow your request on our privacy center: ${url}`);
    expect(text).toContain('The link and the status key you were given before no longer work.');
    expect(text).toContain('Keep this link to yourself');
    expect(e.html).toContain(`href="${url}"`);
    expect(e.subject).not.toContain('key=');
    const f = render('status_link', 'fr');
    expect(plain(f.subject)).toBe('Demande R-2026-0042 : un nouveau lien pour suivre votre demande');
    expect(plain(f.text).replace(/\s+/g, ' ')).toContain(`Voici un nouveau lien pour suivre votre demande sur notre espace vie privée : ${url}`);
    expect(plain(f.text).replace(/\s+/g, ' ')).toContain('ne fonctionnent plus');
    expect(() => render('status_link', 'en', { ...FACTS.status_link, followUrl: 'javascript:alert(1)' })).toThrow(/followUrl/);
  });

  it('identity request: the doubt, each piece of information, and the clock that waits (Art. 12(6))', () => {
    const e = plain(render('identity_request', 'en').text);
    expect(e).toContain('(Art. 12(6) GDPR)');
    expect(e).toContain('“The address the request names differs from the one on the account.”');
    expect(e).toContain('- The order number of a recent purchase\n- The postcode of the delivery address');
    expect(e).toContain('(currently until 2 December 2026) is suspended');
    const f = plain(render('identity_request', 'fr').text);
    expect(f).toContain('(art. 12.6 du RGPD)');
    expect(f).toContain('« The address the request names differs from the one on the account. »');
    expect(f).toContain('(actuellement jusqu’au 2 décembre 2026) est suspendu');
  });

  it('extension: the new date, the old one and every reason (Art. 12(3))', () => {
    const e = render('extension', 'en');
    expect(e.subject).toBe('Request R-2026-0042: the time to answer is extended to 2 February 2027');
    expect(plain(e.text)).toContain('we will answer by 2 February 2027 at the latest, instead of 2 December 2026');
    expect(e.text).toContain('(Art. 12(3) GDPR)');
    expect(e.text).toContain('- The request covers twelve years of orders\n- Forty requests arrived the same week');
    const f = render('extension', 'fr');
    expect(plain(f.subject)).toBe('Demande R-2026-0042 : le délai de réponse est prolongé jusqu’au 2 février 2027');
    expect(plain(f.text)).toContain('au plus tard le 2 février 2027, au lieu du 2 décembre 2026');
    expect(f.html).toContain('<li>The request covers twelve years of orders</li>');
  });

  it('completion: what was done, and for an access the download link with its last day', () => {
    const e = render('completion', 'en');
    expect(e.text).toContain('- Searched the shop database and the newsletter');
    expect(e.text).toContain('from this link: https://privacy.acme.example/packages/9f2c');
    expect(e.text).toContain('until 16 December 2026 inclusive');
    expect(e.html).toContain('<a href="https://privacy.acme.example/packages/9f2c">https://privacy.acme.example/packages/9f2c</a>');
    expect(plain(render('completion', 'fr').text)).toContain('jusqu’au 16 décembre 2026 inclus');
    const erasure = render('completion', 'en', { ...common, request: { ...common.request, type: 'erasure' }, actions: ['Erased your account'] });
    expect(erasure.text).not.toContain('download');
    expect(() => render('completion', 'en', { ...common, actions: ['Prepared a copy'] })).toThrowError(/download: an access request is answered with its copy/);
  });

  it('refusal: every reason, the authority named with its address and site, the judicial remedy (Art. 12(4), 77, 79)', () => {
    for (const lang of LANGS) {
      const l = render('refusal', lang);
      const t = plain(l.text);
      expect(t).toContain('- The request is manifestly unfounded\n- The same request was answered last week');
      expect(t).toContain('Commission nationale de l’informatique et des libertés (CNIL)\n3 place de Fontenoy\nTSA 80715\n75334 Paris Cedex 07\nhttps://www.cnil.fr/fr/plaintes');
      expect(l.html).toContain('<a href="https://www.cnil.fr/fr/plaintes">');
      if (lang === 'en') {
        expect(t).toContain('right to lodge a complaint with a supervisory authority (Art. 77 GDPR)');
        expect(t).toContain('right to an effective judicial remedy against us (Art. 79 GDPR)');
      } else {
        expect(t).toContain('droit d’introduire une réclamation auprès d’une autorité de contrôle (art. 77 du RGPD)');
        expect(t).toContain('droit de former un recours juridictionnel effectif contre nous (art. 79 du RGPD)');
      }
    }
    expect(() => render('refusal', 'en', { ...common, reasons: [] })).toThrowError(OpendpoError);
  });

  it('fee: the amount in the currency, the grounds, the article (Art. 12(5)(a), 15(3))', () => {
    const e = plain(render('fee', 'en').text);
    expect(e).toContain('Fee: €25.00');
    expect(e).toContain('The fee is €25.00.');
    expect(e).toContain('(Art. 12(5)(a) GDPR)');
    expect(e).toContain('“Fifth identical request within a month.”');
    expect(e).toContain('How to pay: Bank transfer to FR76 0000 0000 0000, quoting R-2026-0042.');
    const f = plain(render('fee', 'fr').text);
    expect(f).toContain('Montant des frais : 25,00 €');
    expect(f).toContain('Le montant demandé est de 25,00 €.');
    expect(f).toContain('(art. 12.5.a du RGPD)');
    const copy = plain(render('fee', 'en', { ...FACTS.fee, basis: 'further_copy', amountCents: 1250, currency: 'SEK' }).text);
    expect(copy).toContain('(Art. 15(3) GDPR)');
    expect(copy).toContain('SEK 12.50');
  });

  it('names the DPO as "déléguée" or "délégué" in French, and leaves the line out without a DPO', () => {
    expect(plain(render('acknowledgement', 'fr').text)).toContain('Notre déléguée à la protection des données : Jeanne Martin (dpo@acme.example)');
    const masculine = render('acknowledgement', 'fr', { ...common, dpo: { name: 'Paul Durand', email: 'dpo@acme.example' } });
    expect(plain(masculine.text)).toContain('Notre délégué à la protection des données : Paul Durand');
    const none = render('acknowledgement', 'en', { ...common, dpo: undefined });
    expect(none.text).not.toContain('data protection officer');
  });
});

describe('French is written as French', () => {
  it('non-breaking spaces before : ; and inside « », curly apostrophes, "1er" for the first day', () => {
    for (const kind of LETTER_KINDS) {
      const { subject, text } = render(kind, 'fr', { ...FACTS[kind], request: { ...common.request, receivedOn: '2026-11-01' } });
      for (const t of [subject, text]) {
        expect(t, kind).not.toMatch(/ [:;!?»]/);
        expect(t, kind).not.toMatch(/« /);
        expect(t, kind).not.toContain("'");
      }
      if (kind !== 'identity_code') expect(text, kind).toContain(`Date de réception${NBSP}: 1er novembre 2026`);
    }
    expect(render('identity_request', 'fr').text).toContain(`«${NBSP}The address`);
    expect(render('identity_request', 'fr').text).toContain(`account.${NBSP}»`);
  });

  it('dates: "2 décembre 2026", "1er janvier 2027"; English "2 December 2026", "1 January 2027"', () => {
    expect(formatCalendarDate('2026-12-02', fr)).toBe('2 décembre 2026');
    expect(formatCalendarDate('2027-01-01', fr)).toBe('1er janvier 2027');
    expect(formatCalendarDate('2026-08-15', fr)).toBe('15 août 2026');
    expect(formatCalendarDate('2026-12-02', en)).toBe('2 December 2026');
    expect(formatCalendarDate('2027-01-01', en)).toBe('1 January 2027');
  });

  it('amounts in the currency\'s own minor unit and the language\'s notation', () => {
    expect(formatAmount(2500, 'EUR', 'en-GB')).toBe('€25.00');
    expect(plain(formatAmount(2500, 'EUR', 'fr-FR'))).toBe('25,00 €');
    expect(formatAmount(2500, 'JPY', 'en-GB')).toBe('JP¥2,500');
  });

  it('has the same keys in both languages, and twelve months each', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    expect(LETTER_STRINGS.en.months).toHaveLength(12);
    expect(LETTER_STRINGS.fr.months).toHaveLength(12);
  });
});

describe('escaping', () => {
  const hostile = '<script>alert(1)</script> "&\'';
  const facts: LetterFacts<'refusal'> = {
    ...common,
    controller: { ...common.controller, name: hostile, address: ['<img src=x onerror=alert(1)>'] },
    request: { ...common.request, reference: 'R-<b>1</b>&"\'' },
    reasons: [hostile, 'a\nsecond line'],
  };

  it('escapes every value in the HTML, the title included, and keeps the text as given', () => {
    for (const lang of LANGS) {
      const l = render('refusal', lang, facts);
      expectWellFormed(l.html);
      expect(l.html).not.toContain('<script>');
      expect(l.html).not.toContain('<img');
      expect(l.html).not.toContain('<b>');
      expect(l.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;&amp;&#39;');
      expect(l.html).toContain('R-&lt;b&gt;1&lt;/b&gt;&amp;&quot;&#39;');
      expect(l.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(l.html).toContain('<li>a<br>second line</li>');
      expect(l.html).toMatch(/<title>[^<]*R-&lt;b&gt;1&lt;\/b&gt;&amp;&quot;&#39;[^<]*<\/title>/);
      expect(l.text).toContain(hostile);
      expect(l.text).toContain('- a\n  second line');
      expect(l.subject).toContain('R-<b>1</b>&"\'');
    }
  });

  it('refuses links that are not web pages, and names in a subject that would break a header', () => {
    const js = { ...FACTS.completion, download: { url: 'javascript:alert(1)', expiresOn: '2026-12-16' } };
    expect(() => render('completion', 'en', js)).toThrowError(/download\.url: must be an http\(s\):\/\/ URL/);
    const authority = { ...FACTS.refusal, supervisoryAuthority: { ...common.supervisoryAuthority, url: 'data:text/html,<script>' } };
    expect(() => render('refusal', 'en', authority)).toThrowError(/supervisoryAuthority\.url/);
    const twoLines = { ...FACTS.refusal, request: { ...common.request, reference: 'R-1\r\nBcc: mallory@example.net' } };
    expect(() => render('refusal', 'en', twoLines)).toThrowError(/request\.reference: must be one line/);
  });
});

describe('facts that do not hold are refused, naming the field and never its value', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['a date that does not exist', () => render('acknowledgement', 'en', { ...common, request: { ...common.request, receivedOn: '2026-02-30' } }), /request\.receivedOn: must be a calendar date/],
    ['a due day before receipt', () => render('acknowledgement', 'en', { ...common, request: { ...common.request, dueOn: '2026-11-01' } }), /request\.dueOn: dueOn is before receivedOn/],
    ['a code of five digits', () => render('identity_code', 'en', { ...common, code: '12345' }), /code: must be 6 digits/],
    ['an extension that does not extend', () => render('extension', 'en', { ...FACTS.extension, newDueOn: '2026-12-02' }), /newDueOn: newDueOn must be after request\.dueOn/],
    ['an extension without reasons', () => render('extension', 'en', { ...FACTS.extension, reasons: [] }), /reasons/],
    ['an unknown currency', () => render('fee', 'en', { ...FACTS.fee, currency: 'XYZ' }), /currency: is not a known currency/],
    ['a fee of nothing', () => render('fee', 'en', { ...FACTS.fee, amountCents: 0 }), /amountCents/],
    [
      'an authority with neither a website nor an address',
      () => render('refusal', 'en', { ...FACTS.refusal, supervisoryAuthority: { name: 'CNIL', address: [] } }),
      /supervisoryAuthority\.url: give the authority's url or its postal address/,
    ],
    ['an unknown field', () => render('refusal', 'en', { ...FACTS.refusal, secret: 'x' } as LetterFacts<'refusal'>), /Unrecognized key/],
  ];
  for (const [name, run, message] of cases) {
    it(name, () => {
      let caught: unknown;
      try {
        run();
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(OpendpoError);
      expect((caught as OpendpoError).code).toBe('INVALID_INPUT');
      expect((caught as OpendpoError).message).toMatch(message);
    });
  }

  it('does not quote the values it refuses', () => {
    const reason = 'Ms Alice Martin, born 3 May 1980, asked twice';
    let caught: unknown;
    try {
      render('refusal', 'en', { ...FACTS.refusal, reasons: [reason, ''] });
    } catch (e) {
      caught = e;
    }
    expect((caught as OpendpoError).message).toMatch(/^refusal letter: reasons\.1: /);
    expect(JSON.stringify([(caught as OpendpoError).message, (caught as OpendpoError).details])).not.toContain('Alice');
  });
});

describe('calendar dates whatever the time zone', () => {
  const saved = process.env.TZ;
  afterEach(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });
  // A request received on the first of a month, due on New Year's day: the days a zone west of UTC
  // would show as the evening before (new Date('2026-12-01') is 30 November, 21:00 in São Paulo).
  const nearMidnight = { ...common, request: { ...common.request, receivedOn: '2026-12-01', dueOn: '2027-01-01' } };

  it('shows the same days in São Paulo, Kiritimati and UTC', () => {
    process.env.TZ = 'UTC';
    const utc = LANGS.map((lang) => render('acknowledgement', lang, nearMidnight));
    expect(plain(utc[0]!.text)).toContain('Date received: 1 December 2026');
    expect(plain(utc[0]!.text)).toContain('Answer due by: 1 January 2027');
    expect(plain(utc[1]!.text)).toContain('Date de réception : 1er décembre 2026');
    expect(plain(utc[1]!.text)).toContain('Date limite de réponse : 1er janvier 2027');
    for (const zone of ['America/Sao_Paulo', 'Pacific/Kiritimati']) {
      process.env.TZ = zone;
      // The zone is in force: a naive reading of the date would move it.
      expect(new Date('2026-12-01').getDate()).toBe(zone === 'America/Sao_Paulo' ? 30 : 1);
      expect(new Date('2026-12-01T23:30:00Z').getDate()).toBe(zone === 'America/Sao_Paulo' ? 1 : 2);
      expect(LANGS.map((lang) => render('acknowledgement', lang, nearMidnight))).toEqual(utc);
    }
  });
});
