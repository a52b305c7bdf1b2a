// Structured JSON logs (pino). Secrets never reach them: the fields that can carry one are redacted
// wherever they appear, and Slack's own client logs go through the same logger.
import { type Logger as SlackLogger, LogLevel as SlackLogLevel } from '@slack/bolt';
import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger };

const SECRET_FIELDS = ['token', 'botToken', 'userToken', 'refreshToken', 'access_token', 'refresh_token', 'authorization', 'secret', 'client_secret', 'webhookUrl'];

export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'herald' },
      redact: { paths: SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]), censor: '[redacted]' },
    },
    destination,
  );
}

/** A logger that writes nothing, for tests and tools. */
export const silentLogger = (): Logger => pino({ level: 'silent' });

// Slack tokens have recognisable shapes (xoxb-, xoxp-, xoxe-, xapp-); Bolt's and the Web API
// client's messages are free text, so scrub tokens out of them before they are logged.
const SLACK_TOKEN = /xox[a-z]?(?:\.xox[a-z])?-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+/g;
const scrub = (parts: unknown[]): string => parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part) ?? String(part))).join(' ').replace(SLACK_TOKEN, '[redacted]');

/** Adapts pino to the Logger interface of @slack/bolt, @slack/oauth and @slack/web-api. */
export function slackLogger(logger: Logger): SlackLogger {
  const child = logger.child({ component: 'slack' });
  return {
    debug: (...msg) => child.debug(scrub(msg)),
    info: (...msg) => child.info(scrub(msg)),
    warn: (...msg) => child.warn(scrub(msg)),
    error: (...msg) => child.error(scrub(msg)),
    setLevel: () => {}, // the level is Herald's LOG_LEVEL, set once
    getLevel: () => (child.level === 'silent' ? SlackLogLevel.ERROR : (child.level as SlackLogLevel)),
    setName: () => {},
  };
}
