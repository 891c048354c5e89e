/**
 * Every text on the privacy center's pages comes from somewhere people can write — the register, a
 * form, the API — and is escaped when the page is written (the notice's escaping), including in
 * attributes; an organisation's colours are written only when they are colours.
 */
import { describe, expect, it } from 'vitest';
import { formPage, homePage, statusPage, type PageBase } from '../../src/privacy-center/pages.js';
import { themeCss } from '../../src/privacy-center/style.js';

const HOSTILE = '"><img src=x onerror=alert(1)><script>alert(2)</script>\'&';

const base = (lang: 'en' | 'fr'): PageBase => ({
  lang,
  org: { id: 'acme', name: HOSTILE, branding: { logo: 'data:image/png;base64,AAAA', logo_alt: HOSTILE, primary: '#000000' } },
  assets: { css: '/privacy-center/assets/center.css?v=1' },
});

const form = {
  rights: ['access', 'objection'] as const,
  identityTypes: [{ type: 'email', confirmed_by: 'code' as const }, { type: 'loyalty_card', confirmed_by: 'staff' as const }],
  activities: [{ id: 'x', anchor: 'a"b', consent: true, name: HOSTILE, purposes: [HOSTILE], data: [HOSTILE, HOSTILE], retention: [], recipients: [HOSTILE] }],
};

function expectEscaped(html: string): void {
  expect(html).not.toContain('<img src=x');
  expect(html).not.toContain('<script>alert');
  expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;&#39;&amp;');
}

describe('the privacy center\'s pages, given hostile texts', () => {
  it.each(['en', 'fr'] as const)('escapes the register\'s texts on the home page (%s)', (lang) => {
    const html = homePage(base(lang), form);
    expectEscaped(html);
    expect(html).toContain('#a&quot;b');
    expect(html).toContain(lang === 'en' ? 'Not stated' : 'Non précisé');
  });

  it('escapes what was typed when a form comes back, and an identity type the register invented', () => {
    const html = formPage(base('en'), { type: 'objection', form, values: { email: HOSTILE, grounds: HOSTILE, message: HOSTILE }, errors: [{ field: 'email', message: HOSTILE }], formError: HOSTILE });
    expectEscaped(html);
    expect(html).toContain('<label for="f-id_loyalty_card">Loyalty card');
  });

  it('escapes what the API answers on the status page', () => {
    const html = statusPage(base('fr'), {
      request: { id: 'not"an-id', reference: HOSTILE, type: 'erasure', state: HOSTILE, received_on: HOSTILE, due_on: '2026-01-02', identities: [{ identity: 1, type: 'email', masked: HOSTILE, confirmed: false }] },
      recipients: [{ name: HOSTILE, told: 'told', told_on: '2026-01-03T10:00:00Z' }],
      message: HOSTILE,
    });
    expectEscaped(html);
    expect(html).toContain('informé le 3 janvier 2026');
  });

  it('writes only colours into the organisation\'s style sheet', () => {
    expect(themeCss({ primary: '#0B4FA8', on_primary: '#ffffff' })).toBe(':root { --primary: #0B4FA8; --on-primary: #ffffff; }\n');
    expect(themeCss({ primary: 'red; } body { display: none', on_primary: 'url(https://evil.example)' })).toBe('/* no branding */\n');
  });
});
