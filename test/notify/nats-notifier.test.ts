/**
 * The NATS notifier against a real NATS server with JetStream (OPENDPO_TEST_NATS_URL, default
 * nats://127.0.0.1:4222): the notice stored on its subject, read back by a consumer, and stored
 * once however many times it is published (the notice id is the message id).
 *
 * Without NATS the tests skip with a message naming it, unless OPENDPO_REQUIRE_SERVICES=1, where a
 * missing NATS fails the run (the convention of test/helpers/services.ts).
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultNatsSubject, NatsNotifier } from '../../src/notify/nats/nats-notifier.js';
import type { RecipientNotice } from '../../src/notify/notifier.js';
import { REQUIRE_SERVICES } from '../helpers/services.js';

const NATS_URL = process.env.OPENDPO_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

async function natsAvailable(url: string): Promise<boolean> {
  const u = new URL(url);
  const ok = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: u.hostname, port: Number(u.port || 4222) });
    const done = (reachable: boolean) => {
      socket.destroy();
      resolve(reachable);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
  if (ok) return true;
  const message = `NATS is not reachable at ${u.hostname}:${u.port || 4222}`;
  if (REQUIRE_SERVICES) throw new Error(`${message}, and OPENDPO_REQUIRE_SERVICES=1 requires it`);
  console.warn(`SKIPPED: tests needing NATS: ${message} (set OPENDPO_REQUIRE_SERVICES=1 to make this an error)`);
  return false;
}

describe.runIf(await natsAvailable(NATS_URL))('the NATS notifier', () => {
  // One organisation and stream per run, so that runs never see each other's messages.
  const run = randomUUID().slice(0, 8);
  const organisationId = `test-${run}`;
  const stream = `OPENDPO_TEST_ART19_${run}`;
  let notifier: NatsNotifier;
  let reader: NatsConnection;

  const notice = (over: Partial<RecipientNotice> = {}): RecipientNotice => ({
    id: randomUUID(),
    organisationId,
    requestId: randomUUID(),
    recipientId: 'riskscore',
    action: 'rectification',
    categories: ['user.contact.email'],
    occurredAt: '2026-03-12T09:30:00+01:00',
    subjectRef: 'CUST-00042',
    ...over,
  });

  beforeAll(async () => {
    notifier = new NatsNotifier({ url: NATS_URL, retryDelaysMs: [10, 20] });
    await notifier.ensureStream({ name: stream, subjects: [`opendpo.${organisationId}.art19.>`] });
    // Idempotent: ensuring it again changes nothing.
    await notifier.ensureStream({ name: stream, subjects: [`opendpo.${organisationId}.art19.>`] });
    reader = await connect({ servers: NATS_URL });
  });

  afterAll(async () => {
    if (reader) {
      await (await jetstreamManager(reader)).streams.delete(stream).catch(() => undefined);
      await reader.close();
    }
    await notifier?.close();
  });

  it('publishes the notice on opendpo.<organisation>.art19.<recipient> and answers with the ack', async () => {
    const n = notice();
    const result = await notifier.deliver(n);
    expect(result.outcome).toBe('delivered');
    expect(result.attempts).toHaveLength(1);
    expect(result.attempts[0]!.error).toBeUndefined();
    const ack = JSON.parse(result.answer!) as { stream: string; seq: number; duplicate: boolean };
    expect(ack).toMatchObject({ stream, duplicate: false });
    expect(ack.seq).toBeGreaterThan(0);

    const jsm = await jetstreamManager(reader);
    const stored = await jsm.streams.getMessage(stream, { seq: ack.seq });
    expect(stored?.subject).toBe(`opendpo.${organisationId}.art19.riskscore`);
    expect(stored?.header.get('Nats-Msg-Id')).toBe(n.id);
    expect(stored?.json()).toMatchObject({ type: 'opendpo.art19.notice', id: n.id, action: 'rectification', subject_ref: 'CUST-00042' });
  });

  it('stores a notice published twice once, and a consumer reads it once', async () => {
    const recipientId = 'mailwave';
    const n = notice({ recipientId, action: 'erasure' });
    const first = await notifier.deliver(n);
    const second = await notifier.deliver(n);
    expect(first.outcome).toBe('delivered');
    expect(second.outcome).toBe('delivered');
    const [a, b] = [first, second].map((r) => JSON.parse(r.answer!) as { seq: number; duplicate: boolean });
    expect(b).toEqual({ ...a, duplicate: true });

    const jsm = await jetstreamManager(reader);
    const info = await jsm.streams.info(stream, { subjects_filter: defaultNatsSubject(n) });
    expect(info.state.subjects?.[defaultNatsSubject(n)]).toBe(1);

    // A consumer of that recipient's subject (filter_subject: servers before 2.10 have no filter_subjects).
    const { name } = await jsm.consumers.add(stream, { filter_subject: defaultNatsSubject(n), ack_policy: AckPolicy.Explicit, inactive_threshold: nanos(60_000) });
    const consumer = await jetstream(reader).consumers.get(stream, name);
    const messages = await consumer.fetch({ max_messages: 10, expires: 1000 });
    const ids: string[] = [];
    for await (const m of messages) ids.push((m.json() as { id: string }).id);
    expect(ids).toEqual([n.id]);
  });

  it('publishes on the subject a route gives', async () => {
    const routed = new NatsNotifier({ url: NATS_URL, subject: (x) => `opendpo.${x.organisationId}.art19.custom.${x.recipientId}`, retryDelaysMs: [] });
    try {
      const result = await routed.deliver(notice({ recipientId: 'cabinet-comptable' }));
      expect(result.outcome).toBe('delivered');
      const { seq } = JSON.parse(result.answer!) as { seq: number };
      const stored = await (await jetstreamManager(reader)).streams.getMessage(stream, { seq });
      expect(stored?.subject).toBe(`opendpo.${organisationId}.art19.custom.cabinet-comptable`);
    } finally {
      await routed.close();
    }
  });

  it('fails with every attempt recorded when no stream stores the subject, or the server is not there', async () => {
    const noStream = await notifier.deliver(notice({ organisationId: `nobody-${run}` }));
    expect(noStream.outcome).toBe('failed');
    expect(noStream.attempts).toHaveLength(3);
    expect(noStream.attempts[0]!.error).toBe(`no JetStream stream stores opendpo.nobody-${run}.art19.riskscore (or JetStream is not enabled on the server)`);

    const nowhere = new NatsNotifier({ url: 'nats://127.0.0.1:1', timeoutMs: 500, retryDelaysMs: [10] });
    try {
      const result = await nowhere.deliver(notice());
      expect(result.outcome).toBe('failed');
      expect(result.attempts).toHaveLength(2);
      for (const a of result.attempts) expect(a.error).toMatch(/connection refused/i);
    } finally {
      await nowhere.close();
    }
  });

  it('refuses a subject with wildcards, a malformed notice, and a delivery after close', async () => {
    const wild = new NatsNotifier({ url: NATS_URL, subject: () => 'opendpo.*.art19' });
    await expect(wild.deliver(notice())).rejects.toThrow(/not a NATS subject/);
    await wild.close();
    await expect(wild.deliver(notice())).rejects.toThrow(/closed/);
    await expect(notifier.deliver(notice({ categories: [] }))).rejects.toThrow(/categories/);
    expect(() => new NatsNotifier({ url: 'http://127.0.0.1:4222' })).toThrow(/nats: or tls:/);
  });
});
