// Optional request signing per ingest token: a sender that shares the token's signing secret sends
//   X-Herald-Timestamp: <Unix seconds>
//   X-Herald-Signature: sha256=<hex of HMAC-SHA256(secret, timestamp + "." + raw body)>
// The timestamp inside the signed text makes a captured request useless after the window; the raw
// bytes (not re-serialized JSON) are signed so that any sender can compute the same value.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-herald-signature';
export const TIMESTAMP_HEADER = 'x-herald-timestamp';
/** How far the sender's clock (its timestamp) may be from Herald's, either way. */
export const SIGNATURE_WINDOW_SECONDS = 5 * 60;

const SIGNATURE_FORMAT = /^sha256=([0-9a-fA-F]{64})$/;
const TIMESTAMP_FORMAT = /^\d{1,12}$/;

/** The text of a signature, for senders and tests: `sha256=<hex>`. */
export function signBody(secret: string, timestamp: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/** Null when the request is signed correctly and in time; otherwise what is wrong, for the 401. */
export function signatureProblem(p: {
  secret: string;
  timestamp: string | string[] | undefined;
  signature: string | string[] | undefined;
  body: Buffer;
  nowMs: number;
}): string | null {
  if (typeof p.timestamp !== 'string' || typeof p.signature !== 'string') {
    return 'this token requires signed requests: send X-Herald-Timestamp (Unix seconds) and X-Herald-Signature: sha256=<hex HMAC-SHA256 of timestamp + "." + body>';
  }
  if (!TIMESTAMP_FORMAT.test(p.timestamp)) return 'X-Herald-Timestamp must be a Unix time in seconds';
  if (Math.abs(p.nowMs / 1000 - Number(p.timestamp)) > SIGNATURE_WINDOW_SECONDS) {
    return `X-Herald-Timestamp is more than ${SIGNATURE_WINDOW_SECONDS / 60} minutes away from Herald's clock: sign each request when sending it`;
  }
  const sent = SIGNATURE_FORMAT.exec(p.signature)?.[1];
  if (sent === undefined) return 'X-Herald-Signature must be sha256= followed by 64 hex digits';
  const expected = createHmac('sha256', p.secret).update(`${p.timestamp}.`).update(p.body).digest();
  // Constant time, so the comparison leaks nothing about how many leading bytes were right.
  if (!timingSafeEqual(expected, Buffer.from(sent, 'hex'))) return 'X-Herald-Signature does not match the body and timestamp';
  return null;
}
