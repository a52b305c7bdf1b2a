// The one HTTP server: alerts (/alerts/…) go straight to the lean ingest handler, everything else
// (pages, Slack's requests, health) to Express, whose per-request cost the ingest path cannot
// afford. Its limits are set so that slow, stalled or hostile clients (slow-loris, endless headers,
// clients that never read the answer) cannot hold connections or memory for long. Bodies are capped
// by their readers: 1 MiB on /alerts (src/ingest/http/readBody.ts), 4 MB on /slack/events (Bolt).
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { isIngestPath } from '../ingest/http/route.js';

/**
 * 16 KiB, Node's default, made explicit: the request line and all headers together. Slack and
 * Alertmanager send well under 2 KiB; more is answered 431 before any handler runs, so headers cost
 * at most this much memory per connection.
 */
export const MAX_HEADER_BYTES = 16 * 1024;

/**
 * 10 s for the request line and headers, counted from the moment the connection opens (a client
 * that connects and says nothing is cut too). A real sender writes its headers in one packet, within
 * milliseconds; a slow-loris client that drips them a byte at a time is answered 408 and closed.
 */
export const HEADERS_TIMEOUT_MS = 10_000;

/**
 * 30 s for the whole request, headers and body. The largest body accepted is 4 MB (Slack's, and
 * 1 MiB for alerts), which even a slow link sends in a few seconds; a body trickled slower than this
 * is answered 408 and its connection closed, so a trickling client holds its socket for 30 s at most.
 */
export const REQUEST_TIMEOUT_MS = 30_000;

/**
 * 65 s of idleness between two requests on a kept-alive connection: longer than the idle timeout of
 * common load balancers and proxies (60 s), so that Herald never closes a connection that the proxy
 * in front is just reusing (which would fail that request with a 502).
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * 60 s without a byte either way while a request is open: the guard for what the two timeouts above
 * do not cover — a client that sent its request but never reads the answer, or an answer that
 * stalls. Herald answers in milliseconds (Slack wants its answer within 3 s), so only a dead or
 * hostile peer ever reaches it; the socket is then destroyed.
 */
export const SOCKET_IDLE_TIMEOUT_MS = 60_000;

/**
 * 1 s between Node's sweeps that enforce the headers and request timeouts. Node's default is 30 s,
 * which would let a slow-loris connection live up to 30 s past its timeout; a sweep over the open
 * connections each second costs nothing measurable.
 */
export const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

// Not set: maxRequestsPerSocket. A kept-alive connection costs the same whatever number of requests
// it carries (rate limits are per ingest token, not per connection), and closing busy connections
// would only make Alertmanager, Slack's proxies and load balancers reconnect more often.

export function createHttpServer(web: RequestListener, alerts?: RequestListener): Server {
  const pages = discardUnreadBody(web);
  const server = createServer(
    { maxHeaderSize: MAX_HEADER_BYTES, connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS },
    alerts === undefined ? pages : (req, res) => (isIngestPath(req.url) ? alerts : pages)(req, res),
  );
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.timeout = SOCKET_IDLE_TIMEOUT_MS; // with no 'timeout' listener, Node destroys the idle socket
  return server;
}

/**
 * Bolt answers a body past its 4 MB limit with 413 before reading it, and leaves the request paused.
 * A paused connection reads nothing, so it cannot even notice its client leave: it would sit until
 * the keep-alive timeout (65 s), and Herald's shutdown would wait that long for it. Resuming the
 * request once the answer is sent lets Node discard the rest of the body, as it does for any body
 * nobody reads, and close the connection as soon as the client goes; one that keeps sending is cut
 * by the request timeout. (The ingest handler needs none of this: it closes the connections it
 * refuses, and never pauses a body.)
 */
function discardUnreadBody(listener: RequestListener): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    res.once('finish', () => {
      if (!req.complete) req.resume();
    });
    listener(req, res);
  };
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
