// Where a sender puts its ingest token: `Authorization: Bearer hrld_…`, or the last path segment
// of /alerts/{format}/{token} for senders that cannot set headers.
import { INGEST_TOKEN_PREFIX } from '../../setup/ingestTokens.js';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

export type PresentedToken = { token: string } | { problem: string };

export function presentedToken(pathToken: string | undefined, authorization: string | undefined): PresentedToken {
  const headerToken = authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
  if (authorization !== undefined && headerToken === undefined && pathToken === undefined) {
    return { problem: `the Authorization header must be "Bearer ${INGEST_TOKEN_PREFIX}…"` };
  }
  if (pathToken !== undefined && headerToken !== undefined && pathToken !== headerToken) {
    return { problem: 'the token in the URL and the one in the Authorization header differ: send one' };
  }
  const token = pathToken ?? headerToken;
  if (token === undefined) {
    return { problem: `missing ingest token: send "Authorization: Bearer ${INGEST_TOKEN_PREFIX}…", or POST to /alerts/{format}/{token}` };
  }
  return { token };
}
