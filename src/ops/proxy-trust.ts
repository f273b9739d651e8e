/**
 * Which proxies in front of the service may say who the client is (`TRUST_PROXY`). Behind a load
 * balancer every connection comes from the balancer: without trusting it, every client shares its
 * address, and with it one rate-limit bucket. Trusting a proxy that is not there would let any
 * client choose its address with a forged X-Forwarded-For, so nothing is trusted by default.
 */

import type { IncomingMessage } from 'node:http';
import { BlockList, isIPv6 } from 'node:net';

/** Whether `address`, `hop` hops from the service (0: the peer of the connection), is a trusted proxy. */
export type ProxyTrust = (address: string, hop: number) => boolean;

const family = (address: string) => (isIPv6(address) ? 'ipv6' : 'ipv4');

/** The trust Fastify's `trustProxy` takes, from the setting (a hop count or addresses and ranges). */
export function proxyTrust(setting: number | string[] | undefined): ProxyTrust | undefined {
  if (setting === undefined) return undefined;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  const proxies = new BlockList();
  for (const entry of setting) {
    const [address = '', prefix] = entry.split('/');
    if (prefix === undefined) proxies.addAddress(address, family(address));
    else proxies.addSubnet(address, Number(prefix), family(address));
  }
  // An IPv4-mapped IPv6 peer (::ffff:10.0.0.5) matches its IPv4 entry.
  return (address) => proxies.check(address, family(address));
}

/** Whether the connection itself comes from a trusted proxy, so its headers may be believed. */
export function fromTrustedProxy(trust: ProxyTrust | undefined, request: IncomingMessage): boolean {
  return trust?.(request.socket.remoteAddress ?? '', 0) === true;
}
