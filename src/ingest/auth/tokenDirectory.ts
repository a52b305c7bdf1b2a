// Finds the ingest token a request presents, by its hash. Looking it up on every request would put
// one database read in front of every alert, so answers are cached briefly in memory; the short
// lifetime is what makes a revocation (or an uninstall) take effect within seconds, in every Herald
// process sharing the database, without any process telling the others.
import type { Db } from '../../db/database.js';
import type { Logger } from '../../log.js';
import type { SecretBox } from '../../security/secretBox.js';
import { hashIngestToken, INGEST_TOKEN_PREFIX } from '../../setup/ingestTokens.js';
import { compileAllowedNetworks, type NetworkCheck } from './allowedNetworks.js';

/** How long a looked-up token (or the absence of one) is trusted before it is read again. */
export const TOKEN_CACHE_TTL_MS = 2_000;
/** Enough for every real token many times over; bounds the memory random tokens can take. */
const MAX_CACHED_TOKENS = 10_000;
/** Generated tokens are 48 characters; anything much longer is not one, so skip the hash and the read. */
const MAX_TOKEN_LENGTH = 200;

/** A usable token: not revoked, and its installation still active. */
export interface IngestCredential {
  tokenId: string;
  installationId: string;
  /** The decrypted HMAC secret when the token requires signed requests. */
  signingSecret: string | null;
  allowsAddress: NetworkCheck;
}

interface CacheEntry {
  credential: Promise<IngestCredential | null>;
  expiresAt: number;
}

export class TokenDirectory {
  readonly #cache = new Map<string, CacheEntry>();

  constructor(
    private readonly deps: { db: Db; box: SecretBox; log: Logger; now?: () => number; ttlMs?: number },
  ) {}

  /** The credential for a token; null for an unknown, revoked or uninstalled one (callers must not tell which). */
  find(token: string): Promise<IngestCredential | null> {
    if (!token.startsWith(INGEST_TOKEN_PREFIX) || token.length > MAX_TOKEN_LENGTH) return Promise.resolve(null);
    const hash = hashIngestToken(token);
    const now = this.#now();
    const cached = this.#cache.get(hash);
    if (cached && cached.expiresAt > now) return cached.credential;
    // The promise is cached, not its result, so a burst of requests with a token whose entry just
    // expired shares one database read.
    const credential = this.#load(hash);
    this.#remember(hash, { credential, expiresAt: now + (this.deps.ttlMs ?? TOKEN_CACHE_TTL_MS) });
    credential.catch(() => {
      if (this.#cache.get(hash)?.credential === credential) this.#cache.delete(hash);
    });
    return credential;
  }

  #now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  #remember(hash: string, entry: CacheEntry): void {
    this.#cache.delete(hash); // re-inserting moves it to the end of the Map's order: the newest
    this.#cache.set(hash, entry);
    if (this.#cache.size > MAX_CACHED_TOKENS) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
  }

  async #load(tokenHash: string): Promise<IngestCredential | null> {
    const row = await this.deps.db.ingestToken.findUnique({
      where: { tokenHash },
      select: { id: true, installationId: true, signingSecret: true, allowedNetworks: true, revokedAt: true, installation: { select: { active: true } } },
    });
    if (!row || row.revokedAt !== null || !row.installation.active) return null;
    const networks = compileAllowedNetworks(row.allowedNetworks);
    if (networks.invalid.length > 0) {
      this.deps.log.warn({ tokenId: row.id, invalid: networks.invalid }, 'ingest token has malformed allowed networks; refusing every address');
    }
    return {
      tokenId: row.id,
      installationId: row.installationId,
      signingSecret: row.signingSecret ? this.deps.box.open(row.signingSecret) : null,
      allowsAddress: networks.check,
    };
  }
}
