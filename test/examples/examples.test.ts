import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/register/finding.js';
import { renderNotice } from '../../src/notice/render-notice.js';
import { lintRegister } from '../../src/register/lint/lint-register.js';
import { loadRegister, type LoadedRegister } from '../../src/register/load.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ACME = path.join(ROOT, 'examples/acme-shop');
const SOFTATHOME = path.join(ROOT, 'examples/softathome');

async function loadClean(dir: string): Promise<LoadedRegister> {
  const { loaded, problems } = await loadRegister(dir);
  expect(problems).toEqual([]);
  expect(loaded).toBeDefined();
  return loaded!;
}

/** The register files of an example, relative to its folder. */
async function registerFiles(dir: string): Promise<string[]> {
  const top = (await readdir(dir)).filter((f) => f.endsWith('.yaml'));
  const acts = (await readdir(path.join(dir, 'activities'))).filter((f) => f.endsWith('.yaml')).map((f) => `activities/${f}`);
  return [...top, ...acts].sort();
}

/** Activity file name (without folder and extension) of a finding. */
const activityOf = (f: Finding) => path.basename(f.file, '.yaml');
function filesWith(findings: Finding[], rule: string): string[] {
  return [...new Set(findings.filter((f) => f.rule === rule).map(activityOf))].sort();
}
function countByFile(findings: Finding[], rule: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of findings.filter((x) => x.rule === rule)) out[activityOf(f)] = (out[activityOf(f)] ?? 0) + 1;
  return out;
}

describe.each([
  ['acme-shop', ACME],
  ['softathome', SOFTATHOME],
])('examples/%s', (_name, dir) => {
  it('loads without any problem', async () => {
    const loaded = await loadClean(dir);
    expect(loaded.files).toHaveLength((await registerFiles(dir)).length);
  });

  it('points every file at its JSON Schema, for editor autocompletion', async () => {
    for (const rel of await registerFiles(dir)) {
      const first = (await readFile(path.join(dir, rel), 'utf8')).split('\n')[0]!;
      const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
      expect(match, `${rel} starts with the yaml-language-server line`).not.toBeNull();
      const kind = rel.startsWith('activities/') ? 'activity' : path.basename(rel, '.yaml');
      expect(path.basename(match![1]!)).toBe(`${kind}.schema.json`);
      const schemaPath = path.resolve(path.dirname(path.join(dir, rel)), match![1]!);
      expect(schemaPath).toBe(path.join(ROOT, 'schema', `${kind}.schema.json`));
      expect(existsSync(schemaPath)).toBe(true);
    }
  });
});

describe('examples/acme-shop: what good looks like', () => {
  let loaded: LoadedRegister;
  beforeAll(async () => {
    loaded = await loadClean(ACME);
  });

  it('lints with no finding at all: no error, no warning, no info', () => {
    expect(lintRegister(loaded)).toEqual([]);
  });

  it('publishes in English and French, and gives every activity a retention period with its end', () => {
    const { organisation, activities } = loaded.register;
    expect(organisation.languages).toEqual(expect.arrayContaining(['en', 'fr']));
    expect(activities.length).toBeGreaterThanOrEqual(10);
    for (const a of activities) {
      expect(a.retention?.length, a.id).toBeGreaterThan(0);
      for (const r of a.retention ?? []) {
        expect(r.duration, a.id).toBeDefined();
        expect(r.end_action, a.id).toBeDefined();
      }
      expect(a.security_measures?.length, a.id).toBeGreaterThan(0);
    }
  });

  it('shows both US transfer tools: adequacy for a DPF-certified processor, SCC module 2 otherwise', () => {
    const { activities, recipients } = loaded.register;
    const transfers = activities.flatMap((a) => a.transfers ?? []);
    const recipient = (id: string | undefined) => recipients.find((r) => r.id === id);
    const adequacy = transfers.find((t) => t.mechanism === 'adequacy' && t.country === 'US');
    expect(recipient(adequacy?.recipient)).toMatchObject({ kind: 'processor', country: 'US', dpf_certified: true });
    const scc = transfers.find((t) => t.mechanism === 'scc' && t.country === 'US');
    expect(scc?.scc_module).toBe(2);
    expect(recipient(scc?.recipient)?.dpf_certified).not.toBe(true);
    for (const r of recipients.filter((x) => x.kind === 'processor')) {
      expect(r.country, r.id).toBeDefined();
      expect(r.dpa_reference, r.id).toBeDefined();
    }
  });

  it('records the automated fraud decision with its logic, safeguards and a completed DPIA', () => {
    const fraud = loaded.register.activities.find((a) => a.id === 'fraud-prevention');
    const decision = fraud?.automated_decisions?.[0];
    expect(decision).toMatchObject({ legal_or_similar_effect: true });
    expect(decision?.logic).toBeDefined();
    expect(decision?.safeguards).toBeDefined();
    expect(fraud?.dpia?.status).toBe('completed');
  });

  it('states the withdrawal method of every consent and the interest of every legitimate interest', () => {
    for (const a of loaded.register.activities) {
      for (const b of a.legal_bases ?? []) {
        if (b.basis === 'consent') expect(b.withdrawal_method, a.id).toBeDefined();
        if (b.basis === 'legitimate_interests') expect(b.interest, a.id).toBeDefined();
      }
    }
  });

  it('archives accounting documents for the ten years of Code de commerce art. L123-22', () => {
    const accounting = loaded.register.activities.find((a) => a.id === 'accounting');
    const rule = accounting?.retention?.[0];
    expect(rule?.end_action).toBe('archive');
    expect(JSON.stringify(rule?.archive?.statute)).toContain('L123-22');
  });
});

/**
 * The seed privacy policy (shared/seed/000_298825cfc4cd02de.txt) encoded as it is: the findings below are
 * the document's own gaps, and each is asserted on the exact activity files it lands on.
 */
describe('examples/softathome: the seed policy and its real gaps', () => {
  let loaded: LoadedRegister;
  let findings: Finding[];
  beforeAll(async () => {
    loaded = await loadClean(SOFTATHOME);
    findings = lintRegister(loaded);
  });

  const SOURCES: Record<string, 'data_subject' | 'third_party' | 'public'> = {
    'current-past-clients': 'data_subject',
    'prospects-commercial-contacts': 'data_subject',
    'online-form': 'data_subject',
    'website-users': 'data_subject',
    partners: 'data_subject',
    candidates: 'data_subject',
    'event-visitors': 'data_subject',
    'employees-photos-videos': 'data_subject',
    'recruitment-third-parties': 'third_party',
    'client-subscribers': 'third_party',
    'event-visitors-from-organisers': 'third_party',
    'social-networks': 'public',
  };
  const ALL = Object.keys(SOURCES).sort();
  const CONTROLLER_ACTIVITIES = ALL.filter((id) => id !== 'client-subscribers');

  it('holds the twelve sources of the seed, each with its kind of source and its explanation', () => {
    const activities = loaded.register.activities;
    expect(activities.map((a) => a.id)).toEqual(ALL);
    for (const a of activities) {
      expect(a.sources?.map((s) => s.kind), a.id).toEqual([SOURCES[a.id]]);
      expect(a.sources?.[0]?.explanation, a.id).toBeDefined();
    }
    expect(activities.find((a) => a.id === 'client-subscribers')?.role).toBe('processor');
  });

  it('identifies the controller exactly as Section III does, in English only', () => {
    const org = loaded.register.organisation;
    expect(org).toMatchObject({
      name: 'SoftAtHome',
      legal_form: 'Société Anonyme',
      registration: { register: 'RCS Nanterre', number: 'B 500 440 813' },
      dpo: { email: 'dpo@softathome.com' },
      supervisory_authority: { name: 'CNIL', country: 'FR' },
      cookie_policy_url: 'https://www.softathome.com/resources/',
      effective_date: '2025-04-30',
      languages: ['en'],
    });
    expect(org.rights_channels?.map((c) => c.kind)).toEqual(['email', 'post']);
  });

  it('reports no retention period for any activity it controls (the seed gives criteria only)', () => {
    // Art. 30(2) asks a processor's record for no retention period, so the processor activity is exempt.
    expect(filesWith(findings, 'retention/missing')).toEqual(CONTROLLER_ACTIVITIES);
  });

  it('reports transfers outside the EEA announced without a recipient or a country, in every activity', () => {
    // Section XI: adequacy, Commission SCCs and authority clauses, for "the purposes described": three each.
    expect(countByFile(findings, 'transfer/unidentified')).toEqual(Object.fromEntries(ALL.map((id) => [id, 3])));
    expect(filesWith(findings, 'transfer/scc-without-module')).toEqual(ALL);
  });

  it('keeps the recruitment agencies the policy calls other controllers out of the processors, in the register and the notice', async () => {
    const agencies = loaded.register.recipients.find((r) => r.id === 'recruitment-services')!;
    expect(agencies.kind).toBe('third_party');
    const md = renderNotice(loaded.register, { lang: 'en', format: 'md' });
    const processors = md.indexOf('Our processors');
    const listed = md.indexOf('- Recruitment service providers — other data controllers as recruitment agencies');
    expect(listed).toBeGreaterThan(-1);
    // Listed, and not under a processors heading (there is none: the policy names no processor).
    expect(processors).toBe(-1);
  });

  it('asks whether the opinions in employee videos are special-category data, which the seed does not say', () => {
    expect(filesWith(findings, 'basis/special-category-undecided')).toEqual(['employees-photos-videos']);
    // Not asserted special, so no Art. 9(2) condition is demanded yet (it will be if the DPO decides so).
    expect(filesWith(findings, 'basis/special-category-without-condition')).toEqual([]);
  });

  it('reports every activity of its own as silent on automated decisions, which the seed never mentions', () => {
    // Not the processor activity (client-subscribers): its controllers' notices say.
    expect(filesWith(findings, 'notice/automated-decisions-not-stated')).toEqual(ALL.filter((f) => f !== 'client-subscribers'));
    // Every activity gives its transfers (mechanisms without recipient or country).
    expect(filesWith(findings, 'notice/transfers-not-stated')).toEqual([]);
  });

  it('reports the processor activity for unnamed controllers', () => {
    expect(filesWith(findings, 'processor/missing-controller')).toEqual(['client-subscribers']);
  });

  it('reports each purpose of an activity with several legal bases, since the seed never says which applies', () => {
    // Not the processor activity (client-subscribers): a processor relies on its controllers' bases.
    expect(countByFile(findings, 'basis/purpose-without-basis')).toEqual({
      candidates: 2,
      'current-past-clients': 9,
      'employees-photos-videos': 2,
      'online-form': 2,
      'prospects-commercial-contacts': 5,
      'recruitment-third-parties': 1,
    });
  });

  it('reports every legitimate interest relied on without the interest pursued', () => {
    expect(filesWith(findings, 'basis/legitimate-interest-unstated')).toEqual([
      'online-form',
      'prospects-commercial-contacts',
      'social-networks',
      'website-users',
    ]);
  });

  it('reports nothing the seed does give: consent withdrawal, sources, rights channels, authority, cookies, taxonomy, references', () => {
    const given = [
      'basis/consent-without-withdrawal', // Section VII: withdraw "through the various communication channels we provide"
      'notice/source-missing',
      'notice/rights-channel',
      'notice/supervisory-authority',
      'notice/cookie-policy',
      'notice/missing-translation',
      'art30/controller-identity',
      'art30/dpo-contact',
      'art30/purposes',
      'art30/data-subjects',
      'art30/data-categories',
      'art30/recipients',
      'basis/missing',
    ];
    for (const rule of given) expect(filesWith(findings, rule), rule).toEqual([]);
    expect(findings.filter((f) => /^(ref|taxonomy|schema|yaml|file)\//.test(f.rule))).toEqual([]);
  });

  it('reports no rule beyond the gaps asserted above', () => {
    const asserted = new Set([
      'retention/missing',
      'transfer/unidentified',
      'transfer/scc-without-module',
      'basis/special-category-undecided',
      'notice/automated-decisions-not-stated',
      'processor/missing-controller',
      'basis/purpose-without-basis',
      'basis/legitimate-interest-unstated',
      // Judgement calls left to the lint rules (see the report of helper "examples"): the seed's general
      // security and provision statements name no measure and no requirement per activity.
      'art30/security-measures',
      'notice/provision',
    ]);
    expect([...new Set(findings.map((f) => f.rule))].filter((r) => !asserted.has(r))).toEqual([]);
  });
});
