// The networks an ingest token may be used from (`--from 10.0.0.0/8,2001:db8::/32`): CIDRs, IPv4 or
// IPv6. A bare address means that one host. Stored comma-separated in IngestToken.allowedNetworks.
import { isIP } from 'node:net';
import { parsed, refused, type ParseResult } from '../alerts/parseResult.js';

export function parseNetworkList(text: string): ParseResult<string[]> {
  const items = text.split(',').map((item) => item.trim()).filter((item) => item !== '');
  if (items.length === 0) return refused('--from needs at least one network, such as 10.0.0.0/8 or 2001:db8::/32');
  const networks: string[] = [];
  for (const item of items) {
    const network = parseCidr(item);
    if (!network.ok) return network;
    networks.push(network.value);
  }
  return parsed([...new Set(networks)]);
}

function parseCidr(text: string): ParseResult<string> {
  const [address = '', prefix, extra] = text.split('/');
  const version = isIP(address);
  const bits = version === 4 ? 32 : 128;
  if (version === 0 || extra !== undefined) return refused(`"${text}" is not a network: use CIDR notation, such as 10.0.0.0/8 or 2001:db8::/32`);
  if (prefix === undefined) return parsed(`${address}/${bits}`);
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > bits) return refused(`"${text}" has an invalid prefix length: use 0 to ${bits} for IPv${version}`);
  return parsed(`${address}/${Number(prefix)}`);
}
