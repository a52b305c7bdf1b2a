// Every way Herald turns an ingest request down, in one place: the status, the JSON body
// `{ "error": "...", ... }` and any header the status calls for. Messages say what was wrong and
// how to fix it, since the reader is whoever configured the sender.
import { ALERT_FORMATS } from '../../alerts/alert.js';
import type { PayloadProblem } from '../payloadError.js';

export class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'Refusal';
  }

  body(): Record<string, unknown> {
    return { error: this.message, ...this.details };
  }
}

const FORMAT_LIST = ALERT_FORMATS.join(', ');
/** What a client sent, quoted back short enough that an answer never grows with an attacker's input. */
const quote = (text: string) => JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);

export const refuse = {
  noRoute: () => new Refusal(404, `no such endpoint: POST /alerts/{format} or /alerts/{format}/{token}, where format is one of ${FORMAT_LIST}`, { formats: ALERT_FORMATS }),
  unknownFormat: (format: string) => new Refusal(404, `unknown format ${quote(format)}: use one of ${FORMAT_LIST}`, { formats: ALERT_FORMATS }),
  method: (method: string | undefined) => new Refusal(405, `${method ?? 'this method'} is not allowed here: send alerts with POST`, {}, { allow: 'POST' }),
  contentType: (contentType: string | undefined) =>
    new Refusal(415, contentType === undefined ? 'missing Content-Type: send the body as JSON with Content-Type: application/json' : `Content-Type ${quote(contentType)} is not JSON: send application/json`),
  tooLarge: (limit: number) => new Refusal(413, `the body is larger than ${limit} bytes (1 MiB); send fewer alerts per request`, { limitBytes: limit }, { connection: 'close' }),
  unauthenticated: (message: string) => new Refusal(401, message),
  // One message for an unknown, a revoked and an uninstalled workspace's token: which one it is
  // would tell someone holding a stolen token whether it was ever real.
  badToken: () => new Refusal(401, 'the ingest token is not valid: it is unknown or was revoked; create one with /herald token create'),
  badSignature: (message: string) => new Refusal(401, message),
  addressNotAllowed: (address: string) => new Refusal(403, `requests from ${address || 'this address'} may not use this token: it is restricted to other networks`),
  rateLimited: (retryAfterSeconds: number) =>
    new Refusal(429, `too many requests with this token: retry after ${retryAfterSeconds} s`, { retryAfterSeconds }, { 'retry-after': String(retryAfterSeconds) }),
  invalidJson: (message: string) => new Refusal(400, `the body is not valid JSON: ${message}`),
  tooDeep: (limit: number, position: number) => new Refusal(400, `the body nests objects or arrays more than ${limit} levels deep (at position ${position}); no alert payload needs that`),
  invalidPayload: (format: string, problems: PayloadProblem[]) => new Refusal(400, `the body is not a valid ${format} payload`, { problems }),
  unavailable: () =>
    new Refusal(503, 'Herald could not store the alerts right now (database unavailable); nothing was accepted, retry later', {}, { 'retry-after': '5' }),
};
