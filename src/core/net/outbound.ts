// Outbound HTTP to addresses users name (webhook endpoints): never to this machine or a private
// network unless the operator allows the host (WEBHOOK_ALLOWED_HOSTS), checked on the address
// actually connected to — a name that resolves to a public address when registered and to a
// private one when delivered (DNS rebinding) is refused then too.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) PRIVATE.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) PRIVATE.addSubnet(net, bits, 'ipv6');

/** Loopback, private, link-local, multicast, reserved (IPv4-mapped IPv6 judged as its IPv4). */
export function isPrivateAddress(ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return PRIVATE.check(mapped[1]!, 'ipv4');
  const family = isIP(ip);
  if (family === 0) return true;
  return PRIVATE.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

export class OutboundRefused extends Error {
  readonly permanent = true;
}

/** Whether a host (name or address, as in a URL) is one the operator allowed to be private. */
export const hostAllowed = (host: string, allowed: readonly string[]) => allowed.includes('*') || allowed.includes(host.replace(/^\[|\]$/g, '').toLowerCase());

/**
 * A `lookup` for node:http(s) requests: resolves as usual, then refuses private addresses
 * unless the URL's host is allowed.
 */
export function guardedLookup(allowed: readonly string[]) {
  return (hostname: string, options: object, callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as LookupAddress[];
      if (!hostAllowed(hostname, allowed) && list.some((a) => isPrivateAddress(a.address))) {
        return callback(new OutboundRefused(`${hostname} resolves to a private address`), '', 0);
      }
      if ((options as { all?: boolean }).all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/** Checks a URL at registration: http(s), no credentials in it, and a host that is public or allowed. */
export async function checkOutboundUrl(raw: string, allowed: readonly string[]): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'Must be an absolute http:// or https:// URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'Must be an absolute http:// or https:// URL';
  if (url.username || url.password) return 'Must not carry credentials';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (hostAllowed(host, allowed)) return null;
  const addresses = isIP(host) ? [host] : await new Promise<string[]>((resolve) => dnsLookup(host, { all: true }, (err, list) => resolve(err ? [] : list.map((a) => a.address))));
  if (!addresses.length) return 'The host does not resolve';
  if (addresses.some(isPrivateAddress)) return 'The host is a private or loopback address (set WEBHOOK_ALLOWED_HOSTS to allow it)';
  return null;
}
