// What every part of the emulator shares: resolved options, the world state, tokens and limits.
// One object passed around instead of a web of classes, so each file stays a set of plain functions.
// The same token bucket Herald uses for ingest tokens: the algorithm is Slack's documented one.
import { RateLimiter } from '../../src/ingest/rateLimit.js';
import { EmulatorState } from './state.js';
import { TokenStore } from './tokens.js';
import type { EmulatorOptions } from './types.js';

export interface ResolvedOptions {
  clientId: string;
  clientSecret: string;
  signingSecret: string;
  appId: string;
  appName: string;
  verificationToken: string;
  redirectUrls: string[] | undefined;
  now: () => number;
  log: ((line: string) => void) | undefined;
}

/** A code handed out by the authorize page, waiting to be exchanged at oauth.v2.access. */
export interface AuthCode {
  code: string;
  teamId: string;
  userId: string;
  scopes: string[];
  userScopes: string[];
  /** redirect_uri exactly as the authorize request gave it; oauth.v2.access must repeat it. */
  redirectUri: string | undefined;
  isEnterpriseInstall: boolean;
  webhookPath: string | undefined;
  createdAt: number;
  used: boolean;
}

export interface EmulatorCore {
  options: ResolvedOptions;
  state: EmulatorState;
  tokens: TokenStore;
  rateLimiter: RateLimiter;
  codes: Map<string, AuthCode>;
  /** The app's Request URL; settable at any time. */
  eventsUrl: string | undefined;
  /** 'http://127.0.0.1:PORT/', known once the server listens. */
  url: string;
}

export function createCore(options: EmulatorOptions): EmulatorCore {
  const now = options.now ?? Date.now;
  return {
    options: {
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      signingSecret: options.signingSecret,
      appId: options.appId ?? 'A0HERALD',
      appName: options.appName ?? 'Herald',
      verificationToken: options.verificationToken ?? 'emulator-verification-token',
      redirectUrls: options.redirectUrls,
      now,
      log: options.log,
    },
    state: new EmulatorState(now),
    tokens: new TokenStore(now, options.tokenRotation),
    rateLimiter: new RateLimiter(options.rateLimit ?? { perSecond: 1, burst: 3 }, now),
    codes: new Map(),
    eventsUrl: options.eventsUrl,
    url: '',
  };
}
