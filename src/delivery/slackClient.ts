// The Web API client delivery calls Slack with. It makes no retries of its own and throws on 429
// instead of waiting: the outbox retries durably, paced per channel, and survives restarts, which
// the client's in-memory retries would not.
import { WebClient } from '@slack/web-api';
import type { Config } from '../config.js';
import { slackLogger, type Logger } from '../log.js';

const CALL_TIMEOUT_MS = 10_000;

export function deliveryClient(config: Config, log: Logger): WebClient {
  return new WebClient(undefined, {
    slackApiUrl: config.slack.apiUrl,
    logger: slackLogger(log),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: CALL_TIMEOUT_MS,
  });
}
