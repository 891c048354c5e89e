/**
 * Which part of the address space an IP address is in, and whether a transmission a data subject
 * asked for may go there (Art. 20(2)). The URL is the person's choice, so the server must not become
 * a way into its own network (Art. 32(1): the security of the processing): only a public unicast
 * address of the internet is allowed. Pure.
 *
 * Parsing and the special-purpose ranges (the IANA registries) are ipaddr.js's, the library Fastify
 * itself uses for its trusted proxies. It reads every form the system's resolver would accept
 * (127.1, 0x7f.0.0.1, 2130706433, 0177.0.0.1), so an address is judged as the socket would reach it.
 * IPv6 is held to an allow-list on top: only the global unicast block 2000::/3, so that what the
 * library calls unicast but no one routes on the internet (the deprecated IPv4-compatible ::a.b.c.d)
 * is refused too.
 */
import ipaddr from 'ipaddr.js';

export type AddressRange =
  | 'public'
  | 'loopback'
  /** RFC 1918 (10/8, 172.16/12, 192.168/16), IPv6 unique local fc00::/7 and the old site-local fec0::/10. */
  | 'private'
  /** 169.254/16 (cloud metadata services answer on 169.254.169.254) and fe80::/10. */
  | 'link_local'
  /** RFC 6598 100.64/10, the provider's side of a carrier-grade NAT. */
  | 'carrier_grade_nat'
  | 'unspecified'
  | 'multicast'
  | 'broadcast'
  /** Documentation, benchmarking, future use, and IPv6 outside 2000::/3. */
  | 'reserved'
  /** Protocol ranges (AS112, AMT, ORCHID, discard, segment routing): not where a controller's endpoint is. */
  | 'special_purpose'
  /** IPv6 that carries an IPv4 address to a gateway (NAT64, 6to4, Teredo, SIIT): the IPv4 inside is out of sight. */
  | 'ipv4_translation';

export interface AddressClass {
  /**
   * The address as a socket reaches it, in canonical form: an IPv4-mapped IPv6 address
   * (::ffff:127.0.0.1) is its IPv4 address, since that is where the packets go.
   */
  address: string;
  family: 4 | 6;
  range: AddressRange;
  /** True only for 'public'. */
  public: boolean;
}

const IPV4_RANGES: Record<string, AddressRange> = {
  unicast: 'public',
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link_local',
  loopback: 'loopback',
  carrierGradeNat: 'carrier_grade_nat',
  private: 'private',
  reserved: 'reserved',
  as112: 'special_purpose',
  amt: 'special_purpose',
};

const IPV6_RANGES: Record<string, AddressRange> = {
  unicast: 'public',
  unspecified: 'unspecified',
  linkLocal: 'link_local',
  multicast: 'multicast',
  loopback: 'loopback',
  uniqueLocal: 'private',
  deprecatedSiteLocal: 'private',
  reserved: 'reserved',
  rfc6145: 'ipv4_translation',
  rfc6052: 'ipv4_translation',
  '6to4': 'ipv4_translation',
  teredo: 'ipv4_translation',
};

const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');

/**
 * The class of an IP address, or undefined when the text is no IP address (a host name). A range
 * the library knows and this table does not (a later version's) is refused as special-purpose:
 * what is not known to be public is not public.
 */
export function classifyAddress(text: string): AddressClass | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = text.includes(':') ? ipaddr.IPv6.parse(canonicalIPv6(text)) : ipaddr.IPv4.parse(text);
  } catch {
    return undefined;
  }
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    // The packets of ::ffff:a.b.c.d go to a.b.c.d over IPv4: judge that address.
    if (v6.isIPv4MappedAddress()) return classifyV4(v6.toIPv4Address());
    const named = IPV6_RANGES[v6.range()] ?? 'special_purpose';
    const range = named === 'public' && !v6.match(GLOBAL_UNICAST_V6) ? 'reserved' : named;
    return { address: v6.toString(), family: 6, range, public: range === 'public' };
  }
  return classifyV4(parsed as ipaddr.IPv4);
}

/**
 * An IPv6 address in hexadecimal groups, as the WHATWG URL parser writes it. ipaddr.js reads the
 * IPv4-compatible form ::a.b.c.d as if it were the mapped ::ffff:a.b.c.d; written in hex
 * (::808:808) it reads it right. The zone (fe80::1%eth0) is dropped: the address is what is judged.
 */
function canonicalIPv6(text: string): string {
  return new URL(`http://[${text.replace(/%.*$/, '')}]/`).hostname.slice(1, -1);
}

function classifyV4(v4: ipaddr.IPv4): AddressClass {
  const range = IPV4_RANGES[v4.range()] ?? 'special_purpose';
  return { address: v4.toString(), family: 4, range, public: range === 'public' };
}

/** The range in words, for a refusal shown to the person or the staff. */
export function describeRange(range: AddressRange): string {
  switch (range) {
    case 'public':
      return 'a public address';
    case 'loopback':
      return 'a loopback address (this machine)';
    case 'private':
      return 'a private network address';
    case 'link_local':
      return 'a link-local address (such as a cloud metadata service)';
    case 'carrier_grade_nat':
      return 'a carrier-grade NAT address (RFC 6598)';
    case 'unspecified':
      return 'the unspecified address';
    case 'multicast':
      return 'a multicast address';
    case 'broadcast':
      return 'the broadcast address';
    case 'reserved':
      return 'a reserved address, not routed on the internet';
    case 'special_purpose':
      return 'a special-purpose address';
    case 'ipv4_translation':
      return 'an IPv6 address carrying an IPv4 address through a gateway';
  }
}
