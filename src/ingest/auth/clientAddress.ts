// The address a request came from, read exactly as Express reads `req.ip`: the socket's peer, or,
// when TRUST_PROXY trusts the proxies in between, the client X-Forwarded-For names. Using Express's
// own package (proxy-addr) keeps one meaning of TRUST_PROXY for the whole of Herald.
import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
import type { Config } from '../../config.js';

export type ClientAddressOf = (req: IncomingMessage) => string;

/** Compiled once at start-up; throws (as Express would) when TRUST_PROXY names a malformed address. */
export function clientAddressResolver(trustProxy: Config['trustProxy']): ClientAddressOf {
  const trust = compileTrust(trustProxy);
  // A socket that closed has no remoteAddress; '' then matches no allowed network.
  return (req) => proxyaddr(req, trust) ?? '';
}

/** Express's `compileTrust` (express/lib/utils.js): true, a hop count, or a list of addresses. */
function compileTrust(value: Config['trustProxy']): (address: string, hop: number) => boolean {
  if (value === true) return () => true;
  if (typeof value === 'number') return (_address, hop) => hop < value;
  const addresses = value === false ? [] : value.split(',').map((entry) => entry.trim());
  return proxyaddr.compile(addresses);
}
