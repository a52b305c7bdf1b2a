// Environment → typed, validated settings, in one place. Read once at start-up; a missing or
// malformed variable stops Herald with one message naming every bad variable and how to fix it.
import { z } from 'zod';
import { parseDuration } from './alerts/duration.js';
import { providerOf } from './db/provider.js';

export interface Config {
  port: number;
  /** Where Slack and monitors reach Herald, without a trailing slash. */
  publicUrl: string;
  databaseUrl: string;
  slack: {
    clientId: string;
    clientSecret: string;
    signingSecret: string;
    stateSecret: string;
    /** Web API base, always ending in "/" as @slack/web-api expects. */
    apiUrl: string;
    authorizeUrl: string;
  };
  /** 32-byte key for tokens at rest. */
  encryptionKey: Buffer;
  logLevel: LogLevel;
  /** Express's `trust proxy` setting: false, true, a hop count, or addresses/subnets. */
  trustProxy: boolean | number | string;
  ingest: {
    /** Per ingest token: requests per second on average (0 = no limit), and at once. */
    rateLimit: { perSecond: number; burst: number };
  };
  delivery: {
    /** How long a Slack call is retried before it is given up (dead-lettered). */
    deadlineMs: number;
    /** How long history (filed alerts, resolved groups, dead letters, ended silences) is kept; then it is deleted. */
    retentionMs: number;
  };
}

export const logLevels = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof logLevels)[number];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Herald cannot start; fix these settings (in .env or the environment, see .env.example):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const generateSecretCommand = `node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`;

const required = (hint: string) => z.string({ error: `is not set: ${hint}` }).trim().min(1, `is empty: ${hint}`);

/** A duration setting, read by the same rules as /herald's durations (at most 365d). */
const duration = (fallback: string, examples: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .refine((value) => parseDuration(value).ok, `must be a duration such as ${examples}`);

const httpUrl = z
  .string()
  .trim()
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), 'must be an http:// or https:// URL');

const schema = z.object({
  PORT: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(0).max(65535, 'must be a port number (0-65535)').default(3000),
  PUBLIC_URL: httpUrl.optional(),
  DATABASE_URL: z
    .string()
    .trim()
    .default('file:./data/herald.db')
    .refine((url) => providerOf(url) !== null, 'must start with file: (SQLite), postgres:// or postgresql:// (PostgreSQL)'),
  SLACK_CLIENT_ID: required("the Client ID from your Slack app's Basic Information page"),
  SLACK_CLIENT_SECRET: required("the Client Secret from your Slack app's Basic Information page"),
  SLACK_SIGNING_SECRET: required("the Signing Secret from your Slack app's Basic Information page"),
  SLACK_STATE_SECRET: required(`any long random string, e.g. from: ${generateSecretCommand}`),
  HERALD_ENCRYPTION_KEY: required(`32 random bytes, base64; generate one with: ${generateSecretCommand}`).refine(
    (value) => decodeKey(value) !== null,
    `must be 32 bytes encoded as base64 (44 characters); generate one with: ${generateSecretCommand}`,
  ),
  SLACK_API_URL: httpUrl.default('https://slack.com/api/'),
  SLACK_AUTHORIZE_URL: httpUrl.default('https://slack.com/oauth/v2/authorize'),
  LOG_LEVEL: z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` }).default('info'),
  TRUST_PROXY: z.string().trim().optional(),
  INGEST_RATE_LIMIT: z.coerce.number({ error: 'must be a number' }).min(0, 'must be 0 (no limit) or more').default(100),
  INGEST_RATE_BURST: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').default(1000),
  DELIVERY_DEADLINE: duration('24h', '24h, 90m or 7d'),
  ALERT_RETENTION: duration('7d', '7d, 30d or 12h (at most 365d)'),
});

function decodeKey(value: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value.trim())) return null;
  const key = Buffer.from(value.trim(), 'base64');
  return key.length === 32 ? key : null;
}

function durationMs(value: string): number {
  const parsed = parseDuration(value);
  return parsed.ok ? parsed.value : 0; // validated by the schema
}

/** Express's `trust proxy` accepts booleans, hop counts and address lists; keep the same words. */
function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Blank values in .env mean "not set", so defaults apply to `PORT=` as to a missing PORT.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`));
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    databaseUrl: e.DATABASE_URL,
    slack: {
      clientId: e.SLACK_CLIENT_ID,
      clientSecret: e.SLACK_CLIENT_SECRET,
      signingSecret: e.SLACK_SIGNING_SECRET,
      stateSecret: e.SLACK_STATE_SECRET,
      apiUrl: e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`,
      authorizeUrl: e.SLACK_AUTHORIZE_URL,
    },
    encryptionKey: decodeKey(e.HERALD_ENCRYPTION_KEY) as Buffer,
    logLevel: e.LOG_LEVEL,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    ingest: { rateLimit: { perSecond: e.INGEST_RATE_LIMIT, burst: e.INGEST_RATE_BURST } },
    delivery: { deadlineMs: durationMs(e.DELIVERY_DEADLINE), retentionMs: durationMs(e.ALERT_RETENTION) },
  };
}
