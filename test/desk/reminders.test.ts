/**
 * The daily reminder to staff: the pure planner (who is told of which requests: overdue, due within
 * N calendar days, assigned to nobody, disabled accounts), its English and French mail, and the
 * sender on real SQLite and PostgreSQL stores with a real SMTP server on loopback — once per
 * organisation and day with two servers racing on one store, none on a restart the same day, again
 * the next day, a dead server's run taken over without writing to anyone twice — and never an
 * identity or a word of a data subject's request in a mail, a log line or an audit entry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { Desk } from '../../src/desk/desk.js';
import { planReminders, type ReminderRequest, type ReminderStaff } from '../../src/desk/reminders/plan-reminders.js';
import { renderReminder } from '../../src/desk/reminders/render-reminder.js';
import { localHour, ReminderSender, type ReminderSenderOptions } from '../../src/desk/reminders/send-reminders.js';
import { OpendpoError } from '../../src/errors/opendpo-error.js';
import type { StoreLocation } from '../../src/config/config.js';
import { SmtpMailer } from '../../src/mail/smtp/smtp-mailer.js';
import { loadRegister } from '../../src/register/load.js';
import { publishRegister } from '../../src/register/publish-register.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { ROOT } from '../helpers/cli.js';
import { staffAccount } from '../helpers/staff.js';
import { raw } from '../store/raw-sql.js';
import { postgresCase, sqliteCase } from '../store/store-cases.js';
import { startSmtpSink, type SinkMessage, type SmtpSink } from '../support/smtp-sink.js';

const TODAY = '2026-03-10';

const request = (id: string, dueOn: string, assignee: string | null, state: ReminderRequest['state'] = 'verified', type: ReminderRequest['type'] = 'access'): ReminderRequest => ({
  id,
  reference: `R-${id.toUpperCase().padEnd(4, 'X')}-0000`,
  type,
  state,
  dueOn,
  assignee,
});

const STAFF: ReminderStaff[] = [
  { id: 'alice', login: 'alice@acme.example', role: 'agent', disabled: false },
  { id: 'bob', login: 'bob@acme.example', role: 'agent', disabled: true },
  { id: 'dora', login: 'dora@acme.example', role: 'dpo', disabled: false },
  { id: 'dan', login: 'dan@acme.example', role: 'dpo', disabled: true },
  { id: 'eve', login: 'eve@acme.example', role: 'engineer', disabled: false },
];

describe('planReminders', () => {
  const requests = [
    request('a1', '2026-03-07', 'alice'),
    request('a2', TODAY, 'alice', 'received'),
    request('a3', '2026-03-17', 'alice', 'approved', 'erasure'),
    request('a4', '2026-03-18', 'alice'),
    request('a5', '2026-03-09', 'alice', 'completed'),
    request('a6', '2026-03-11', 'alice', 'awaiting_identity'),
    request('a7', '2026-03-12', 'alice', 'failed'),
    request('b1', '2026-03-12', 'bob'),
    request('g1', '2026-03-13', 'gone'),
    request('u1', '2026-03-09', null, 'awaiting_fee'),
    request('u2', '2026-03-15', null),
    request('u3', '2026-03-01', null, 'refused'),
  ];

  it('gives each active account its overdue requests and those due within 7 days, and the unassigned ones to each active DPO', () => {
    const plan = planReminders({ today: TODAY, requests, staff: STAFF, language: 'fr' });
    expect(plan).toMatchObject({ today: TODAY, dueWithinDays: 7, lastDay: '2026-03-17', listed: 8, untold: 0 });
    expect(plan.digests.map((d) => d.staffId)).toEqual(['alice', 'dora']);
    const [alice, dora] = plan.digests;
    expect(alice).toEqual({
      staffId: 'alice',
      login: 'alice@acme.example',
      language: 'fr',
      assigned: {
        overdue: [{ id: 'a1', reference: 'R-A1XX-0000', type: 'access', state: 'verified', dueOn: '2026-03-07', daysLeft: -3 }],
        dueSoon: [
          { id: 'a2', reference: 'R-A2XX-0000', type: 'access', state: 'received', dueOn: TODAY, daysLeft: 0 },
          { id: 'a7', reference: 'R-A7XX-0000', type: 'access', state: 'failed', dueOn: '2026-03-12', daysLeft: 2 },
          { id: 'a3', reference: 'R-A3XX-0000', type: 'erasure', state: 'approved', dueOn: '2026-03-17', daysLeft: 7 },
        ],
      },
      unassigned: { overdue: [], dueSoon: [] },
    });
    // Assigned to a disabled account (bob) or to one that no longer exists: nobody reads it, the DPO is told.
    expect(dora!.assigned).toEqual({ overdue: [], dueSoon: [] });
    expect(dora!.unassigned.overdue.map((i) => [i.id, i.daysLeft])).toEqual([['u1', -1]]);
    expect(dora!.unassigned.dueSoon.map((i) => [i.id, i.daysLeft])).toEqual([
      ['b1', 2],
      ['g1', 3],
      ['u2', 5],
    ]);
  });

  it('holds the boundaries: due today and due on the last day are in, the day after is out, closed and waiting requests never', () => {
    const ids = (days: number) => {
      const d = planReminders({ today: TODAY, requests, staff: STAFF, language: 'en', dueWithinDays: days }).digests.find((x) => x.staffId === 'alice')!;
      return [...d.assigned.overdue, ...d.assigned.dueSoon].map((i) => i.id);
    };
    expect(ids(1)).toEqual(['a1', 'a2']);
    expect(ids(2)).toEqual(['a1', 'a2', 'a7']);
    expect(ids(7)).toEqual(['a1', 'a2', 'a7', 'a3']);
    expect(ids(8)).toEqual(['a1', 'a2', 'a7', 'a3', 'a4']);
    expect(ids(60)).not.toContain('a5');
    expect(ids(60)).not.toContain('a6');
    for (const bad of [0, 61, 2.5, -1, Number.NaN]) {
      expect(() => planReminders({ today: TODAY, requests, staff: STAFF, language: 'en', dueWithinDays: bad })).toThrow(OpendpoError);
    }
    expect(() => planReminders({ today: '2026-02-30', requests, staff: STAFF, language: 'en' })).toThrow(/calendar date/);
  });

  it('sends nothing to disabled accounts, nor to accounts with nothing due; counts what nobody is told of when no DPO is active', () => {
    const plan = planReminders({ today: TODAY, requests, staff: STAFF.filter((s) => s.id !== 'dora'), language: 'en' });
    expect(plan.digests.map((d) => d.staffId)).toEqual(['alice']);
    expect(plan.untold).toBe(4);
    expect(plan.listed).toBe(4);
    expect(planReminders({ today: TODAY, requests: [], staff: STAFF, language: 'en' }).digests).toEqual([]);
    const allDisabled = planReminders({ today: TODAY, requests, staff: STAFF.map((s) => ({ ...s, disabled: true })), language: 'en' });
    expect(allDisabled.digests).toEqual([]);
  });

  it('writes to an account in its own language where it has one, else in the organisation\'s', () => {
    const plan = planReminders({ today: TODAY, requests, staff: STAFF.map((s) => (s.id === 'dora' ? { ...s, language: 'en' as const } : s)), language: 'fr' });
    expect(plan.digests.map((d) => [d.staffId, d.language])).toEqual([
      ['alice', 'fr'],
      ['dora', 'en'],
    ]);
  });
});

describe('renderReminder', () => {
  const plan = planReminders({
    today: TODAY,
    requests: [request('a1', '2026-03-09', 'dora'), request('a2', TODAY, 'dora', 'received', 'rectification'), request('a3', '2026-03-14', 'dora'), request('u1', '2026-03-01', null, 'awaiting_fee', 'post_mortem'), request('u2', '2026-03-16', null)],
    staff: STAFF,
    language: 'en',
  });
  const digest = plan.digests.find((d) => d.staffId === 'dora')!;
  const facts = { organisationName: 'Acme <Boutique> & Co', today: plan.today, lastDay: plan.lastDay };

  it('writes the English digest: counts in the subject, each request with its reference, type, due day, days left and state', () => {
    const mail = renderReminder(digest, facts);
    expect(mail.subject).toBe('Requests to answer at Acme <Boutique> & Co: 2 overdue, 3 due by 17 March 2026');
    expect(mail.text).toContain('Assigned to you, overdue\n\n- R-A1XX-0000 · Access (Art. 15) · due 9 March 2026 (1 day late) · identity confirmed, to decide');
    expect(mail.text).toContain('- R-A2XX-0000 · Rectification (Art. 16) · due 10 March 2026 (due today) · received');
    expect(mail.text).toContain('- R-A3XX-0000 · Access (Art. 15) · due 14 March 2026 (4 days left)');
    expect(mail.text).toContain('Assigned to nobody, overdue (sent to you as data protection officer)\n\n- R-U1XX-0000 · Directives after death (French Data Protection Act, Art. 85) · due 1 March 2026 (9 days late) · waiting for the fee');
    expect(mail.text).toContain('Assigned to nobody, due by 17 March 2026');
    expect(mail.text).toContain('(Art. 12(3) GDPR)');
    expect(mail.html).toContain('<html lang="en">');
    expect(mail.html).toContain('Acme &lt;Boutique&gt; &amp; Co');
    expect(mail.html).not.toContain('<Boutique>');
    expect(mail.html).toContain('<strong>R-A1XX-0000</strong>');
  });

  it('writes the French digest, French dates and typography included', () => {
    const mail = renderReminder({ ...digest, language: 'fr' }, { ...facts, organisationName: 'Acme Boutique' });
    expect(mail.subject).toBe('Demandes à traiter chez Acme Boutique\u00a0: 2 en retard, 3 à échéance d’ici le 17 mars 2026');
    expect(mail.text).toContain('Bonjour,');
    expect(mail.text).toContain('- R-A1XX-0000 · Accès (art. 15) · échéance le 9 mars 2026 (1 jour de retard) · identité confirmée, à décider');
    expect(mail.text).toContain('- R-A2XX-0000 · Rectification (art. 16) · échéance le 10 mars 2026 (échéance aujourd’hui) · reçue');
    expect(mail.text).toContain('(restent 4 jours)');
    expect(mail.text).toContain('- R-U1XX-0000 · Directives post mortem (art. 85 de la loi Informatique et Libertés) · échéance le 1er mars 2026 (9 jours de retard) · en attente du paiement des frais');
    expect(mail.text).toContain('Non attribuées, à échéance d’ici le 17 mars 2026 (rappel adressé au DPO)');
    expect(mail.text).toContain('(art. 12.3 du RGPD)');
    expect(mail.html).toContain('<html lang="fr">');
    // Our wording has no ordinary space before a colon; a value keeps what it was given.
    expect(mail.text).not.toMatch(/ :/);
  });
});

describe('the reminder hour', () => {
  it('reads OPENDPO_REMINDER_HOUR as an hour from 0 to 23, 8 by default', () => {
    expect(loadConfig({}).reminderHour).toBe(8);
    expect(loadConfig({ OPENDPO_REMINDER_HOUR: '0' }).reminderHour).toBe(0);
    expect(loadConfig({ OPENDPO_REMINDER_HOUR: ' 23 ' }).reminderHour).toBe(23);
    for (const bad of ['24', 'eight', '7.5', '-1', '123']) {
      expect(() => loadConfig({ OPENDPO_REMINDER_HOUR: bad }), bad).toThrow(`OPENDPO_REMINDER_HOUR must be an hour from 0 to 23, got '${bad}'`);
    }
  });

  it('reads the hour in the organisation\'s zone, summer time included', () => {
    expect(localHour(new Date('2026-03-10T07:00:00Z'), 'Europe/Paris')).toBe(8);
    expect(localHour(new Date('2026-07-10T06:00:00Z'), 'Europe/Paris')).toBe(8);
    expect(localHour(new Date('2026-03-10T23:30:00Z'), 'Europe/Paris')).toBe(0);
  });
});

const ORG = 'acme-boutique';
/** A data subject's identities and words: none of them may reach staff mail, logs or the audit log. */
const PERSON = { email: 'zoe.martin@example.org', customer: 'C-77421', name: 'Zoé Martin', message: 'Je suis Zoé Martin, cliente depuis 2019' };

describe.each([sqliteCase(), postgresCase()])('sending the reminders on $name', (dialect) => {
  let location: StoreLocation;
  let store: Store;
  /** A second server on the same database. */
  let other: Store;
  let sink: SmtpSink;
  const mailers: SmtpMailer[] = [];
  /** 10 March 2026, 09:00 in Paris. */
  let clock = Date.parse('2026-03-10T08:00:00Z');
  const logs: string[] = [];
  const ids: Record<string, string> = {};
  const refs: Record<string, string> = {};

  const sender = (s: Store, owner: string, options: Partial<ReminderSenderOptions> = {}) => {
    const mailer = new SmtpMailer({ url: sink.url, from: 'opendpo <reminders@acme-boutique.example>' });
    mailers.push(mailer);
    return new ReminderSender({ store: s, mailer, owner, now: () => new Date(clock), log: (fields, message) => logs.push(JSON.stringify({ ...fields, message })), ...options });
  };
  const to = (login: string, after: number) => sink.messages.slice(after).filter((m) => m.to.includes(login));

  beforeAll(async () => {
    if (!dialect.available) return;
    location = await dialect.setUp();
    store = await openStore(location);
    other = await openStore(location);
    await publishRegister(store, await loadRegister(`${ROOT}/examples/acme-shop`), { author: 'test' });
    sink = await startSmtpSink();
    for (const [name, role] of [['alice', 'agent'], ['bob', 'agent'], ['dora', 'dpo'], ['eve', 'engineer']] as const) {
      ids[name] = await staffAccount(store, ORG, role, `${name}@acme-boutique.example`, 'correct horse battery staple');
    }
    await raw(location, `update staff_users set disabled_at = '2026-03-01T00:00:00.000Z' where id = '${ids.bob}'`);
    // Requests entered as received by post, on days that make them due (one month later, Paris calendar):
    const desk = new Desk({ store, now: () => new Date(clock) });
    const enter = async (name: string, receivedOn: string, assignee?: string) => {
      const { request: r } = (
        await desk.submit({
          organisationId: ORG,
          channel: 'post',
          language: 'fr',
          actor: 'test',
          receivedAt: new Date(`${receivedOn}T10:00:00+01:00`),
          identities: [
            { type: 'email', value: PERSON.email },
            { type: 'customer_number', value: PERSON.customer },
          ],
          details: { type: 'access' },
          message: PERSON.message,
        })
      ).request;
      ids[name] = r.id;
      refs[name] = r.reference;
      if (assignee) await desk.act(ORG, r.id, 'test', { action: 'assign', assignee });
    };
    await enter('late', '2026-02-05', ids.alice); // due 5 March: overdue
    await enter('today', '2026-02-10', ids.alice); // due 10 March: today
    await enter('later', '2026-02-25', ids.alice); // due 25 March: beyond the 7 days
    await enter('nobody', '2026-02-13'); // due 13 March, unassigned: the DPO
    await enter('disabled', '2026-02-11', ids.bob); // due 11 March, its assignee disabled: the DPO
  });

  afterAll(async () => {
    for (const m of mailers) await m.close();
    await sink?.close();
    await other?.close();
    await store?.close();
    await dialect.tearDown();
  });

  it.runIf(dialect.available)('waits for the hour; then, of two servers racing for the day, one sends one digest to each staff member', async () => {
    clock = Date.parse('2026-03-10T06:59:00Z'); // 07:59 in Paris
    const a = sender(store, 'host-a:1');
    const b = sender(other, 'host-b:2');
    expect(await a.sendDue()).toEqual([]);
    expect(await store.reminders.run(ORG, TODAY)).toBeUndefined();
    clock = Date.parse('2026-03-10T07:00:00Z'); // 08:00
    const before = sink.messages.length;
    const outcomes = (await Promise.all([a.sendDue(), b.sendDue()])).flat();
    // The loser finds the day held by the winner, or already done if the winner was that quick.
    expect(outcomes.map((o) => o.claim).filter((c) => c === 'claimed')).toEqual(['claimed']);
    expect(outcomes.map((o) => o.claim).filter((c) => c !== 'claimed')).toEqual([expect.stringMatching(/^(held|done)$/)]);
    expect(outcomes.find((o) => o.claim === 'claimed')).toMatchObject({ organisationId: ORG, day: TODAY, sent: 2, failed: 0, skipped: 0 });
    // The loser did not even try a digest: the day was the winner's.
    expect(outcomes.find((o) => o.claim !== 'claimed')).toMatchObject({ sent: 0, failed: 0, skipped: 0 });
    const sent = sink.messages.slice(before);
    expect(sent).toHaveLength(2);
    expect(to('alice@acme-boutique.example', before)).toHaveLength(1);
    expect(to('dora@acme-boutique.example', before)).toHaveLength(1);
    const alice = to('alice@acme-boutique.example', before)[0]!;
    const dora = to('dora@acme-boutique.example', before)[0]!;
    // The register's default language (French): the staff accounts keep none.
    expect(alice.subject).toBe('Demandes à traiter chez Acme Boutique SAS\u00a0: 1 en retard, 1 à échéance d’ici le 17 mars 2026');
    expect(alice.text).toContain(`${refs.late} · Accès (art. 15) · échéance le 5 mars 2026 (5 jours de retard)`);
    expect(alice.text).toContain(`${refs.today} · Accès (art. 15) · échéance le 10 mars 2026 (échéance aujourd’hui)`);
    expect(alice.text).not.toContain(refs.later);
    expect(alice.headers['auto-submitted']).toBe('auto-generated');
    expect(dora.text).toContain(refs.nobody);
    expect(dora.text).toContain(refs.disabled);
    expect(dora.text).not.toContain(refs.late);
    expect(to('bob@acme-boutique.example', before)).toEqual([]);
    expect(to('eve@acme-boutique.example', before)).toEqual([]);
    expectNothingOfThePerson(sent);

    expect(await store.reminders.run(ORG, TODAY)).toMatchObject({ digests: 2, sent: 2, failed: 0, finished_at: expect.any(String) });
    expect((await store.reminders.digests(ORG, TODAY)).map((d) => [d.staff_id, d.status, d.overdue, d.due_soon])).toEqual(
      [
        [ids.alice, 'sent', 1, 1],
        [ids.dora, 'sent', 0, 2],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
  });

  it.runIf(dialect.available)('sends none on a restart the same day, and again the next day', async () => {
    const before = sink.messages.length;
    clock = Date.parse('2026-03-10T16:00:00Z');
    const restarted = sender(store, 'host-a:3');
    expect((await restarted.sendDue()).map((o) => o.claim)).toEqual(['done']);
    expect((await restarted.send(ORG)).claim).toBe('done');
    expect(sink.messages.length).toBe(before);

    clock = Date.parse('2026-03-11T07:30:00Z'); // 08:30 on the 11th
    const outcomes = await restarted.sendDue();
    expect(outcomes).toEqual([{ organisationId: ORG, day: '2026-03-11', claim: 'claimed', sent: 2, failed: 0, skipped: 0 }]);
    const alice = to('alice@acme-boutique.example', before);
    expect(alice).toHaveLength(1);
    // Due yesterday, now one day late.
    expect(alice[0]!.text).toContain(`${refs.today} · Accès (art. 15) · échéance le 10 mars 2026 (1 jour de retard)`);
    expect(to('dora@acme-boutique.example', before)).toHaveLength(1);
    // Later the same day, in this process and another: nothing more.
    clock += 3_600_000;
    expect((await restarted.sendDue()).map((o) => o.claim)).toEqual([]);
    expect((await sender(other, 'host-b:4').sendDue()).map((o) => o.claim)).toEqual(['done']);
    expect(sink.messages.length).toBe(before + 2);
  });

  it.runIf(dialect.available)('records a digest the mail server refused as failed, without the address, and sends the others', async () => {
    const refusing = await startSmtpSink({ refuseRecipient: (address) => address.startsWith('alice@') });
    const mailer = new SmtpMailer({ url: refusing.url, from: 'opendpo <reminders@acme-boutique.example>' });
    try {
      clock = Date.parse('2026-03-12T09:00:00Z');
      const outcome = await new ReminderSender({ store, mailer, owner: 'host-c:5', now: () => new Date(clock), log: (f, m) => logs.push(JSON.stringify({ ...f, message: m })) }).send(ORG);
      expect(outcome).toMatchObject({ claim: 'claimed', sent: 1, failed: 1 });
      expect(refusing.messages.map((m) => m.to)).toEqual([['dora@acme-boutique.example']]);
      const alice = (await store.reminders.digests(ORG, '2026-03-12')).find((d) => d.staff_id === ids.alice)!;
      expect(alice).toMatchObject({ status: 'failed', message_id: null });
      expect(alice.error).toContain('refused the recipient');
      expect(alice.error).not.toContain('alice');
      expect(await store.reminders.run(ORG, '2026-03-12')).toMatchObject({ digests: 2, sent: 1, failed: 1 });
    } finally {
      await mailer.close();
      await refusing.close();
    }
  });

  it.runIf(dialect.available)('takes over the run of a server that died mid-run, once its hold lapsed, without writing to anyone twice', async () => {
    const day = '2026-03-13';
    clock = Date.parse('2026-03-13T08:00:00Z');
    // The dead server claimed the day and was writing to alice when it stopped.
    expect(await store.reminders.claimRun(ORG, day, 'dead:9', new Date(clock).toISOString(), new Date(clock + 300_000).toISOString())).toBe('claimed');
    expect(await store.reminders.startDigest(ORG, day, ids.alice!, { overdue: 2, dueSoon: 0 }, new Date(clock).toISOString())).toBe(true);
    const before = sink.messages.length;
    const next = sender(other, 'host-b:6');
    expect((await next.send(ORG)).claim).toBe('held');
    expect(sink.messages.length).toBe(before);
    clock += 300_001;
    expect(await next.send(ORG)).toEqual({ organisationId: ORG, day, claim: 'taken_over', sent: 1, failed: 0, skipped: 1 });
    expect(sink.messages.slice(before).map((m) => m.to)).toEqual([['dora@acme-boutique.example']]);
    const digests = await store.reminders.digests(ORG, day);
    expect(digests.find((d) => d.staff_id === ids.alice)).toMatchObject({ status: 'failed', error: expect.stringContaining('interrupted') });
    expect(digests.find((d) => d.staff_id === ids.dora)).toMatchObject({ status: 'sent' });
    // The dead server, were it to wake up, holds nothing any more.
    expect(await store.reminders.renewRun(ORG, day, 'dead:9', new Date(clock + 300_000).toISOString())).toBe(false);
    expect((await store.reminders.run(ORG, day))?.owner).toBe('host-b:6');
  });

  it.runIf(dialect.available)('sends nothing without a mail server, records nothing, and says so once', async () => {
    clock = Date.parse('2026-03-16T09:00:00Z');
    const told: string[] = [];
    const mute = new ReminderSender({ store, mailer: undefined, owner: 'host-d:7', now: () => new Date(clock), log: (f, m) => told.push(JSON.stringify({ ...f, message: m })) });
    expect(await mute.sendDue()).toEqual([]);
    expect(await mute.sendDue()).toEqual([]);
    expect((await mute.send(ORG)).claim).toBe('no_mailer');
    expect(told).toEqual([JSON.stringify({ message: 'reminders: no mail server (OPENDPO_SMTP_URL): no reminder is sent' })]);
    expect(await store.reminders.run(ORG, '2026-03-16')).toBeUndefined();
    // A server with a mail server started later that day still sends it.
    const before = sink.messages.length;
    expect((await sender(store, 'host-d:8').send(ORG)).claim).toBe('claimed');
    expect(sink.messages.length).toBe(before + 2);
  });

  it.runIf(dialect.available)('keeps ids and counts in the audit log and the logs: never an address, a name or what the person wrote', async () => {
    const entries = [];
    for await (const e of store.audit.entries(ORG)) entries.push(e);
    const reminders = entries.filter((e) => e.action.startsWith('reminder'));
    expect(reminders.filter((e) => e.action === 'reminders.run').map((e) => e.subject.id)).toEqual(['2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13', '2026-03-16']);
    expect(reminders.find((e) => e.action === 'reminders.run')!.detail).toEqual({ digests: 2, sent: 2, failed: 0, requests: 4, untold: 0, due_within_days: 7 });
    expect(reminders.filter((e) => e.action === 'reminder.sent' && e.detail.day === TODAY).map((e) => e.subject)).toEqual(
      expect.arrayContaining([
        { kind: 'staff', id: ids.alice },
        { kind: 'staff', id: ids.dora },
      ]),
    );
    expect(reminders.find((e) => e.action === 'reminder.failed')!.detail).toEqual({ day: '2026-03-12', overdue: 2, due_soon: 0, reason: 'recipient_refused' });
    expect(reminders.filter((e) => e.action === 'reminder.interrupted').map((e) => e.subject.id)).toEqual([ids.alice]);
    const written = JSON.stringify(reminders) + logs.join('\n');
    expect(written).not.toContain('@');
    for (const value of Object.values(PERSON)) expect(written).not.toContain(value);
    expect((await store.audit.verify(ORG)).problems).toEqual([]);
  });
});

function expectNothingOfThePerson(messages: readonly SinkMessage[]): void {
  for (const m of messages) {
    for (const text of [m.subject, m.text, m.html ?? '', m.raw.toString('utf8')]) {
      for (const value of [PERSON.email, PERSON.customer, PERSON.name, PERSON.message, 'Zoé', 'zoe.martin']) expect(text).not.toContain(value);
    }
  }
}
