// Access and refresh tokens: issuing, rotating, revoking and checking them the way Slack does.
import { digits, secret } from './ids.js';

export type TokenType = 'bot' | 'user';

/** Who a token speaks for and what it may do. */
export interface Grant {
  type: TokenType;
  teamId: string;
  enterpriseId: string | undefined;
  isEnterpriseInstall: boolean;
  /** The bot user for bot tokens, the authorizing person for user tokens. */
  userId: string;
  botId: string | undefined;
  scopes: string[];
}

export interface AccessToken extends Grant {
  value: string;
  /** Milliseconds; only rotating tokens expire. */
  expiresAt: number | undefined;
  revoked: boolean;
}

interface RefreshToken {
  value: string;
  grant: Grant;
  used: boolean;
}

export interface IssuedToken {
  access: AccessToken;
  refreshToken: string | undefined;
  expiresInSeconds: number | undefined;
}

export type TokenCheck =
  | { ok: true; token: AccessToken }
  | { ok: false; error: 'invalid_auth' | 'token_revoked' | 'token_expired' };

export class TokenStore {
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly refreshTokens = new Map<string, RefreshToken>();

  constructor(
    private readonly now: () => number,
    private readonly rotation: { expiresInSeconds: number } | undefined,
  ) {}

  get rotates(): boolean {
    return this.rotation !== undefined;
  }

  issue(grant: Grant): IssuedToken {
    // Rotating tokens carry Slack's 'xoxe.' prefix; refresh tokens look like 'xoxe-1-…'.
    const prefix = (this.rotation ? 'xoxe.' : '') + (grant.type === 'bot' ? 'xoxb-' : 'xoxp-');
    const value = `${prefix}${digits(12)}-${digits(13)}-${secret(12)}`;
    const expiresInSeconds = this.rotation?.expiresInSeconds;
    const access: AccessToken = {
      ...grant,
      scopes: [...grant.scopes],
      value,
      expiresAt: expiresInSeconds === undefined ? undefined : this.now() + expiresInSeconds * 1000,
      revoked: false,
    };
    this.accessTokens.set(value, access);
    let refreshToken: string | undefined;
    if (this.rotation) {
      refreshToken = `xoxe-1-${secret(24)}`;
      this.refreshTokens.set(refreshToken, { value: refreshToken, grant: { ...grant }, used: false });
    }
    return { access, refreshToken, expiresInSeconds };
  }

  /** Exchanges a refresh token for a new access token and a new refresh token; the old refresh token dies. */
  refresh(refreshValue: string): IssuedToken | undefined {
    const refresh = this.refreshTokens.get(refreshValue);
    if (!refresh || refresh.used) return undefined;
    refresh.used = true;
    return this.issue(refresh.grant);
  }

  find(value: string): AccessToken | undefined {
    return this.accessTokens.get(value);
  }

  check(value: string): TokenCheck {
    const token = this.accessTokens.get(value);
    if (!token) return { ok: false, error: 'invalid_auth' };
    if (token.revoked) return { ok: false, error: 'token_revoked' };
    if (token.expiresAt !== undefined && this.now() >= token.expiresAt) return { ok: false, error: 'token_expired' };
    return { ok: true, token };
  }

  /** A live token of this kind for this team (and user), to hand out again on reinstall. */
  findLive(teamId: string, type: TokenType, userId: string): AccessToken | undefined {
    for (const token of this.accessTokens.values()) {
      if (token.teamId === teamId && token.type === type && token.userId === userId && this.check(token.value).ok) {
        return token;
      }
    }
    return undefined;
  }

  revoke(value: string): boolean {
    const token = this.accessTokens.get(value);
    if (!token || token.revoked) return false;
    token.revoked = true;
    return true;
  }

  /** Revokes every token of the team (uninstall) and returns those that were live. */
  revokeTeam(teamId: string): AccessToken[] {
    const revoked: AccessToken[] = [];
    for (const token of this.accessTokens.values()) {
      if (token.teamId === teamId && !token.revoked) {
        token.revoked = true;
        revoked.push(token);
      }
    }
    for (const refresh of this.refreshTokens.values()) {
      if (refresh.grant.teamId === teamId) refresh.used = true;
    }
    return revoked;
  }
}
