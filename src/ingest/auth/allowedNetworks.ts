// A token's allow-list of source networks (like Slack's "Restrict API Token Usage"): the stored
// comma-separated CIDR list (`10.0.0.0/8,2001:db8::/32`, a bare address meaning one host), compiled
// once per token into Node's BlockList, which matches IPv4 and IPv6 and compares an IPv4-mapped
// IPv6 address (::ffff:10.1.2.3, how a dual-stack socket reports IPv4 peers) as its IPv4 address.
import { BlockList, isIP } from 'node:net';

/** Whether a client address may use the token. */
export type NetworkCheck = (address: string) => boolean;

const ANYWHERE: NetworkCheck = () => true;
const NOWHERE: NetworkCheck = () => false;

/**
 * `""` allows every address. A list with an entry that is not an address or CIDR allows none:
 * a damaged entry must not silently open a token that its owner meant to restrict.
 */
export function compileAllowedNetworks(list: string): { check: NetworkCheck; invalid: string[] } {
  const entries = list.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (entries.length === 0) return { check: ANYWHERE, invalid: [] };
  const networks = new BlockList();
  const invalid = entries.filter((entry) => !addNetwork(networks, entry));
  if (invalid.length > 0) return { check: NOWHERE, invalid };
  return {
    invalid: [],
    check: (address) => {
      const version = isIP(address);
      return version !== 0 && networks.check(address, version === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

function addNetwork(networks: BlockList, entry: string): boolean {
  const [address = '', prefix, extra] = entry.split('/');
  const version = isIP(address);
  const bits = version === 4 ? 32 : 128;
  if (version === 0 || extra !== undefined) return false;
  if (prefix !== undefined && (!/^\d{1,3}$/.test(prefix) || Number(prefix) > bits)) return false;
  networks.addSubnet(address, prefix === undefined ? bits : Number(prefix), version === 4 ? 'ipv4' : 'ipv6');
  return true;
}
