/**
 * The privacy notice as the server hands it out: rendered once per published version, language
 * and format, and kept until a newer version of the register is published. Rendering is the
 * whole cost of a notice request (245 requests/s when every request rendered it).
 *
 * Which version is the latest is asked of the store at most once per `freshMs` per organisation,
 * one question at a time however many requests wait for the answer: a version published by
 * `opendpo register publish` from another process is served within that time (1 s by default),
 * and under load the store answers one question, not one per request. A failed question (an
 * unknown organisation, a store that does not answer) is not remembered.
 */
import type { Language } from '../register/schema.js';
import { renderNotice, type NoticeFormat } from '../notice/render-notice.js';
import type { Store } from '../store/open-store.js';
import type { RegisterVersion } from '../store/register-versions-repository.js';
import { latestVersionOf, resolveOrganisation } from './published-registers.js';

export interface NoticeCacheOptions {
  /** How long the latest version of an organisation is taken as still the latest (default 1000 ms). */
  freshMs?: number;
  /** The clock, in milliseconds (default performance.now). */
  now?: () => number;
  /** How a notice is rendered (default renderNotice); tests count the renders through it. */
  render?: typeof renderNotice;
}

export class NoticeCache {
  private readonly freshMs: number;
  private readonly now: () => number;
  private readonly render: typeof renderNotice;
  /** By organisation asked for ('' for the default one): the latest version, as last asked. */
  private readonly latest = new Map<string, { askedAt: number; version: Promise<RegisterVersion> }>();
  /** By organisation: the notices of its latest version seen, by language and format. */
  private readonly rendered = new Map<string, { version: number; contentHash: string; bodies: Map<string, Buffer> }>();

  constructor(
    private readonly store: Store,
    private readonly defaultOrganisation: string | undefined,
    options: NoticeCacheOptions = {},
  ) {
    this.freshMs = options.freshMs ?? 1000;
    this.now = options.now ?? (() => performance.now());
    this.render = options.render ?? renderNotice;
  }

  /** The latest published version of the organisation asked for (or of the default one). */
  latestVersion(organisation: string | undefined): Promise<RegisterVersion> {
    // An organisation id is never empty (the Id schema): '' stands for "the default one".
    const key = organisation ?? '';
    const now = this.now();
    const known = this.latest.get(key);
    if (known && now - known.askedAt < this.freshMs) return known.version;
    const version = resolveOrganisation(this.store, organisation, this.defaultOrganisation).then((id) => latestVersionOf(this.store, id));
    this.latest.set(key, { askedAt: now, version });
    version.catch(() => {
      if (this.latest.get(key)?.version === version) this.latest.delete(key);
    });
    return version;
  }

  /**
   * The notice of this version in this language and format, rendered on the first request only;
   * as UTF-8 bytes, so that each response writes them without encoding the text again.
   */
  notice(version: RegisterVersion, language: Language, format: NoticeFormat): Buffer {
    let entry = this.rendered.get(version.organisationId);
    if (!entry || entry.version < version.version) {
      // A newer version replaces the notices of the previous one: they are never served again.
      entry = { version: version.version, contentHash: version.contentHash, bodies: new Map() };
      this.rendered.set(version.organisationId, entry);
    }
    const key = `${language}/${format}`;
    if (entry.contentHash !== version.contentHash) return Buffer.from(this.render(version.register, { lang: language, format })); // an older answer still in flight
    let body = entry.bodies.get(key);
    if (!body) {
      body = Buffer.from(this.render(version.register, { lang: language, format }));
      entry.bodies.set(key, body);
    }
    return body;
  }
}
