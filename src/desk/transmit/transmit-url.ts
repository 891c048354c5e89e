/**
 * The URL a data subject gives for a portability export sent directly to another controller
 * (Art. 20(2)): what the request schema accepts (TransmitToUrl) and what the transmission checks
 * again before it resolves the host (checkTransmitUrl). Pure: no DNS here; the addresses a name
 * resolves to are checked at the time of sending (transmit-export.ts), since that is when they count.
 *
 * The person chooses where the server connects, so the URL is held to the internet (Art. 32(1)):
 *   - https: only, so the export travels encrypted to a server that proves its name (Art. 5(1)(f));
 *   - no user name or password: a secret in a URL ends up in records and letters;
 *   - an IP address written as the host (in any form: WHATWG URL parsing turns 127.1, 0x7f.1 and
 *     2130706433 into 127.0.0.1 before this sees it) must be a public one (classify-address.ts);
 *   - names that by standard mean this machine or a local network are refused: localhost and
 *     *.localhost (RFC 6761), .local (mDNS, RFC 6762), .home.arpa (RFC 8375), .internal (reserved
 *     by ICANN for private use), and a name without a dot, which only a local resolver's search
 *     list would complete.
 */
import { z } from 'zod';
import { classifyAddress, describeRange, type AddressRange } from './classify-address.js';

export const MAX_TRANSMIT_URL_LENGTH = 2000;

const LOCAL_SUFFIXES = ['.local', '.home.arpa', '.internal'] as const;

/** Where the URL points, once its shape is accepted. */
export type TransmitHost =
  /** An IP address written as the host: it is the address connected to (canonical form). */
  | { kind: 'address'; address: string; family: 4 | 6; range: AddressRange }
  /** A host name (lower case, without a final dot), resolved when the export is sent. */
  | { kind: 'name'; name: string; loopback: boolean };

export type TransmitUrlCheck = { ok: true; url: URL; host: TransmitHost } | { ok: false; reason: string };

export interface TransmitUrlOptions {
  /**
   * Accept a loopback host (127.0.0.0/8, ::1, localhost). Only for tests, which reach a server on
   * this machine; never set from configuration.
   */
  allowLoopback?: boolean;
}

/** The URL checked for its shape and its host as written; reasons are safe to show to the person. */
export function checkTransmitUrl(text: string, options: TransmitUrlOptions = {}): TransmitUrlCheck {
  if (text.length > MAX_TRANSMIT_URL_LENGTH) return { ok: false, reason: `must be at most ${MAX_TRANSMIT_URL_LENGTH.toLocaleString('en')} characters` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'must be a URL such as https://api.example.org/import' };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: 'must be an https:// URL' };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'must not carry a user name or password' };

  // WHATWG URL has already lowered the case, encoded international names (punycode) and turned
  // every numeric IPv4 form into a.b.c.d; IPv6 comes in brackets.
  const written = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const address = classifyAddress(written);
  if (address !== undefined) {
    if (!address.public && !(options.allowLoopback === true && address.range === 'loopback')) {
      return { ok: false, reason: `must name a host on the internet, not ${address.address}, ${describeRange(address.range)}` };
    }
    return { ok: true, url, host: { kind: 'address', address: address.address, family: address.family, range: address.range } };
  }

  const name = written.endsWith('.') ? written.slice(0, -1) : written;
  const loopback = name === 'localhost' || name.endsWith('.localhost');
  if (loopback) {
    if (options.allowLoopback === true) return { ok: true, url, host: { kind: 'name', name, loopback } };
    return { ok: false, reason: 'must name a host on the internet, not localhost (this machine)' };
  }
  const local = LOCAL_SUFFIXES.find((suffix) => name.endsWith(suffix));
  if (local !== undefined) return { ok: false, reason: `must name a host on the internet, not a local network name (${local})` };
  if (!name.includes('.')) return { ok: false, reason: 'must name a host on the internet by its full name, such as api.example.org' };
  return { ok: true, url, host: { kind: 'name', name, loopback } };
}

/**
 * `transmit_to.url` of a portability request (Art. 20(2)), for the request schema. The value is
 * kept as the person wrote it; the checks above run on it again when the export is sent.
 */
export const TransmitToUrl = z
  .string()
  .max(MAX_TRANSMIT_URL_LENGTH, { message: `must be at most ${MAX_TRANSMIT_URL_LENGTH.toLocaleString('en')} characters`, abort: true })
  .superRefine((value, ctx) => {
    const check = checkTransmitUrl(value);
    if (!check.ok) ctx.addIssue({ code: 'custom', message: check.reason });
  })
  .meta({ format: 'uri', description: 'An https:// URL of the receiving controller, on the internet (Art. 20(2)).' });
