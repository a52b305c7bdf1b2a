// The ingest request handler: POST /alerts/{format}[/{token}] → 202 { accepted, duplicates } once
// the alerts are committed, or a 4xx that says what to fix. Plain node:http, called by the HTTP
// server before Express: on two cores Express 5 alone answers about 3,900 requests/s where plain
// node:http answers 11,600, so Express would cost more than parsing and committing the alerts.
//
// The checks run cheapest and least revealing first: nothing about a token is said before the
// request has a valid one, and the body is read only for an authenticated, allowed sender.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from '../../log.js';
import type { Metrics } from '../../observability/metrics.js';
import { parsePayload } from '../parse.js';
import { PayloadError } from '../payloadError.js';
import { prepareAcceptance } from '../accept/acceptance.js';
import type { AcceptOutcome } from '../accept/batchPlan.js';
import type { GroupCommit } from '../accept/groupCommit.js';
import type { ClientAddressOf } from '../auth/clientAddress.js';
import { presentedToken } from '../auth/presentedToken.js';
import { SIGNATURE_HEADER, signatureProblem, TIMESTAMP_HEADER } from '../auth/signature.js';
import type { IngestCredential, TokenDirectory } from '../auth/tokenDirectory.js';
import type { LastUsedRecorder } from '../lastUsed.js';
import type { RateLimiter } from '../rateLimit.js';
import { isJsonContentType } from './contentType.js';
import { parseJsonBody } from './jsonBody.js';
import { ClientGone, readBody, refuseDeclaredOversize } from './readBody.js';
import { refuse, Refusal } from './refusal.js';
import { replyJson } from './reply.js';
import { parseIngestRoute, type IngestRoute } from './route.js';

export interface IngestHandlerDeps {
  tokens: TokenDirectory;
  clientAddress: ClientAddressOf;
  rateLimiter: RateLimiter;
  lastUsed: LastUsedRecorder;
  accept: GroupCommit;
  log: Logger;
  metrics: Pick<Metrics, 'ingestRequests' | 'alertsReceived'>;
  now?: () => Date;
}

const NOTHING_TO_STORE: AcceptOutcome = { accepted: 0, duplicates: 0 };

export function ingestHandler(deps: IngestHandlerDeps): RequestListener {
  const now = deps.now ?? (() => new Date());

  const authenticate = async (route: IngestRoute, req: IncomingMessage): Promise<IngestCredential> => {
    const presented = presentedToken(route.pathToken, req.headers.authorization);
    if ('problem' in presented) throw refuse.unauthenticated(presented.problem);
    const credential = await storage(deps.tokens.find(presented.token), 'look up an ingest token');
    if (credential === null) throw refuse.badToken();
    const address = deps.clientAddress(req);
    if (!credential.allowsAddress(address)) throw refuse.addressNotAllowed(address);
    const rate = deps.rateLimiter.take(credential.tokenId);
    if (!rate.allowed) throw refuse.rateLimited(rate.retryAfterSeconds);
    return credential;
  };

  const serve = async (req: IncomingMessage): Promise<AcceptOutcome> => {
    const route = parseIngestRoute(req.url ?? '/');
    if (req.method !== 'POST') throw refuse.method(req.method);
    if (!isJsonContentType(req.headers['content-type'])) throw refuse.contentType(req.headers['content-type']);
    refuseDeclaredOversize(req);
    const credential = await authenticate(route, req);
    const body = await readBody(req);
    const receivedAt = now();
    if (credential.signingSecret !== null) {
      const problem = signatureProblem({
        secret: credential.signingSecret,
        timestamp: req.headers[TIMESTAMP_HEADER],
        signature: req.headers[SIGNATURE_HEADER],
        body,
        nowMs: receivedAt.getTime(),
      });
      if (problem !== null) throw refuse.badSignature(problem);
    }
    deps.lastUsed.touch(credential.tokenId, receivedAt);
    const payload = parseOrRefuse(route, parseJsonBody(body), receivedAt);
    if (payload.alerts.length === 0) return NOTHING_TO_STORE;
    const acceptance = prepareAcceptance({ installationId: credential.installationId, tokenId: credential.tokenId, format: route.format, payload, receivedAt });
    const outcome = await storage(deps.accept.submit(acceptance), 'store alerts');
    deps.metrics.alertsReceived.inc({ format: route.format, workspace: credential.installationId }, outcome.accepted);
    return outcome;
  };

  /** Database work: its failure is Herald's, answered 503 so that the sender retries. */
  const storage = async <T>(work: Promise<T>, what: string): Promise<T> => {
    try {
      return await work;
    } catch (error) {
      deps.log.error({ err: error instanceof Error ? error.message : String(error) }, `could not ${what}`);
      throw refuse.unavailable();
    }
  };

  const answer = (res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>) => {
    replyJson(res, status, body, headers);
    deps.metrics.ingestRequests.inc({ status: String(status) });
  };

  return (req: IncomingMessage, res: ServerResponse) => {
    serve(req).then(
      (outcome) => answer(res, 202, outcome),
      (error: unknown) => {
        if (error instanceof ClientGone) return;
        if (error instanceof Refusal) return answer(res, error.status, error.body(), error.headers);
        // Not a refusal, so a fault in Herald: the sender is told to retry rather than given a
        // 500, and the cause goes to the log.
        deps.log.error({ err: error instanceof Error ? (error.stack ?? error.message) : String(error), path: req.url }, 'ingest request failed');
        const unavailable = refuse.unavailable();
        answer(res, unavailable.status, unavailable.body(), unavailable.headers);
      },
    );
  };
}

function parseOrRefuse(route: IngestRoute, body: unknown, receivedAt: Date) {
  try {
    return parsePayload(route.format, body, receivedAt);
  } catch (error) {
    if (error instanceof PayloadError) throw refuse.invalidPayload(route.format, error.problems);
    throw error;
  }
}
