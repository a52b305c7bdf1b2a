// Ingest tokens: the secrets monitors send with alerts. `hrld_` marks them so secret scanners can
// find leaked ones; 32 random bytes make guessing hopeless and a plain SHA-256 a safe stored form.
import { createHash, randomBytes } from 'node:crypto';

export const INGEST_TOKEN_PREFIX = 'hrld_';

export function generateIngestToken(): string {
  return `${INGEST_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashIngestToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** What may be shown of a token after its creation: `hrld_ab12…`. */
export function displayPrefix(token: string): string {
  return `${token.slice(0, INGEST_TOKEN_PREFIX.length + 4)}…`;
}

/** Signing secrets (`--signed` tokens) have their own prefix, so a leaked one is told apart from a token. */
export const SIGNING_SECRET_PREFIX = 'hrlds_';

export function generateSigningSecret(): string {
  return `${SIGNING_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
}
