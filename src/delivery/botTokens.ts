// Bot tokens for delivery, through the OAuth installer's authorize(): it refreshes a rotating token
// that expires within two hours and stores the new one, as it does for Bolt's own listeners.
// Tokens are kept in memory while they stay clear of that window, so a storm does not decrypt the
// installation once per message; one lookup per installation runs at a time.
import type { InstallProvider } from '@slack/oauth';
import type { Db } from '../db/database.js';

const REFRESH_WINDOW_MS = 2 * 60 * 60_000; // @slack/oauth refreshes tokens expiring within 2 hours
/**
 * A lookup (with its token refresh, which the installer's client retries for minutes) may take this
 * long before delivery treats it as a transient failure. The channel's lease is renewed meanwhile
 * (the worker's heartbeat), so no other process takes the channel over while this one still means to send.
 */
const LOOKUP_TIMEOUT_MS = 20_000;

export class BotTokens {
  readonly #cache = new Map<string, { token: string; goodUntil: number }>();
  readonly #lookups = new Map<string, Promise<string | null>>();

  constructor(
    private readonly installer: Pick<InstallProvider, 'authorize'>,
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** The installation's bot token; null when it is not installed (any more). */
  async tokenFor(installationId: string): Promise<string | null> {
    const cached = this.#cache.get(installationId);
    if (cached && cached.goodUntil > this.now()) return cached.token;
    let lookup = this.#lookups.get(installationId);
    if (!lookup) {
      lookup = withTimeout(this.#lookUp(installationId), LOOKUP_TIMEOUT_MS).finally(() => this.#lookups.delete(installationId));
      this.#lookups.set(installationId, lookup);
    }
    return lookup;
  }

  /** Slack refused the token (expired, revoked): the next call looks it up again. */
  forget(installationId: string): void {
    this.#cache.delete(installationId);
  }

  async #lookUp(installationId: string): Promise<string | null> {
    const row = await this.db.installation.findUnique({ where: { id: installationId }, select: { active: true, teamId: true, enterpriseId: true, isEnterpriseInstall: true } });
    if (!row?.active) return null;
    try {
      const auth = await this.installer.authorize({
        teamId: row.teamId ?? undefined,
        enterpriseId: row.enterpriseId ?? undefined,
        isEnterpriseInstall: row.isEnterpriseInstall,
      });
      if (!auth.botToken) return null;
      const expiresAt = auth.botTokenExpiresAt === undefined ? Infinity : auth.botTokenExpiresAt * 1000;
      this.#cache.set(installationId, { token: auth.botToken, goodUntil: expiresAt - REFRESH_WINDOW_MS });
      return auth.botToken;
    } catch (error) {
      // authorize() wraps what went wrong. Uninstalled between the two reads → no token; anything
      // else (database, the refresh call) is worth a retry.
      if ((error as { original?: Error }).original?.name === 'InstallationNotFound') return null;
      throw error;
    }
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the bot token lookup took over ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
