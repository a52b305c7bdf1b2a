// The one HTTP server: alerts (/alerts/…) go straight to the lean ingest handler, everything else
// (pages, Slack's requests, health) to Express, whose per-request cost the ingest path cannot
// afford. Timeouts are set so slow or stalled clients (slow-loris) cannot hold connections open forever.
import { createServer, type RequestListener, type Server } from 'node:http';
import { isIngestPath } from '../ingest/http/route.js';

export function createHttpServer(web: RequestListener, alerts?: RequestListener): Server {
  const server = createServer(alerts === undefined ? web : (req, res) => (isIngestPath(req.url) ? alerts : web)(req, res));
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
