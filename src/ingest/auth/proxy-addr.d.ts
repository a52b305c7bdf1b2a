// Types for `proxy-addr`, the package Express itself uses for `req.ip` and `trust proxy`. It ships
// without types; only the two functions Herald calls are declared.
declare module 'proxy-addr' {
  import type { IncomingMessage } from 'node:http';

  /** Whether the address at `hop` (0 = the socket's peer) is a trusted proxy. */
  type TrustFunction = (address: string, hop: number) => boolean;

  /** The client's address: the socket's peer, or the first untrusted hop of X-Forwarded-For. */
  function proxyaddr(req: IncomingMessage, trust: TrustFunction): string;

  namespace proxyaddr {
    /** Compiles addresses, CIDR subnets and the names loopback/linklocal/uniquelocal; throws TypeError on a bad entry. */
    function compile(addresses: string | string[]): TrustFunction;
  }

  export = proxyaddr;
}
