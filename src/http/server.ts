// The one HTTP server: Express for pages and Slack's requests. Timeouts are set so slow or stalled
// clients (slow-loris) cannot hold connections open forever.
import { createServer, type RequestListener, type Server } from 'node:http';

export function createHttpServer(handler: RequestListener): Server {
  const server = createServer(handler);
  server.headersTimeout = 15_000; // all request headers must arrive within 15 s
  server.requestTimeout = 30_000; // the whole request (headers and body) within 30 s
  server.keepAliveTimeout = 65_000; // longer than common load balancers' idle timeout (60 s)
  return server;
}

export function listen(server: Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
