// What Slack's answer to a delivery means for Herald (issue 5, item 7), by kind of failure.
// The Web API client is set to make no retries of its own and to throw on 429, so every answer
// comes here and the outbox decides, durably, what happens next.

export type SlackOutcome =
  | { kind: 'rate_limited'; retryAfterMs: number }
  /** Worth trying again later: 5xx, timeouts, connection failures, Slack's own transient errors. */
  | { kind: 'transient'; reason: string }
  /** The channel cannot be posted to until a person fixes it. */
  | { kind: 'channel_broken'; reason: string }
  /** The workspace took the app's access away. */
  | { kind: 'installation_gone'; reason: string }
  /** The message is too big or its blocks were refused: render it smaller once. */
  | { kind: 'too_large'; reason: string }
  /** The rotating token expired: look it up again (refreshing it) and retry at once. */
  | { kind: 'token_expired'; reason: string }
  /** The message to update or reply to is gone (deleted by someone): post a new one. */
  | { kind: 'message_gone'; reason: string }
  /** Anything else Slack refuses will be refused again: give up now, with the reason. */
  | { kind: 'permanent'; reason: string };

const CHANNEL_BROKEN = new Set(['channel_not_found', 'is_archived', 'not_in_channel', 'channel_is_archived']);
const INSTALLATION_GONE = new Set(['token_revoked', 'account_inactive', 'invalid_auth', 'not_authed', 'team_access_not_granted', 'team_disabled', 'org_login_required']);
const TOO_LARGE = new Set(['msg_too_long', 'msg_blocks_too_long', 'invalid_blocks', 'invalid_blocks_format', 'invalid_attachments', 'too_many_attachments']);
const TRANSIENT = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited', 'rate_limited']);
const MESSAGE_GONE = new Set(['message_not_found', 'cant_update_message', 'thread_not_found']);

export function classifySlackFailure(error: unknown): SlackOutcome {
  const failure = (error ?? {}) as { code?: unknown; data?: { error?: unknown }; retryAfter?: unknown; statusCode?: unknown; message?: unknown };
  switch (failure.code) {
    case 'slack_webapi_rate_limited_error':
      return { kind: 'rate_limited', retryAfterMs: Math.max(1, Number(failure.retryAfter) || 1) * 1000 };
    case 'slack_webapi_http_error':
      return { kind: 'transient', reason: `http_${String(failure.statusCode)}` };
    case 'slack_webapi_request_error':
      return { kind: 'transient', reason: 'request_failed' };
    case 'slack_webapi_platform_error': {
      const code = typeof failure.data?.error === 'string' ? failure.data.error : 'unknown_error';
      if (CHANNEL_BROKEN.has(code)) return { kind: 'channel_broken', reason: code };
      if (INSTALLATION_GONE.has(code)) return { kind: 'installation_gone', reason: code };
      if (TOO_LARGE.has(code)) return { kind: 'too_large', reason: code };
      if (code === 'token_expired') return { kind: 'token_expired', reason: code };
      if (MESSAGE_GONE.has(code)) return { kind: 'message_gone', reason: code };
      if (TRANSIENT.has(code)) return { kind: 'transient', reason: code };
      return { kind: 'permanent', reason: code };
    }
    default:
      // Not an answer from Slack at all (a bug, a timeout inside the client): retry, never drop.
      return { kind: 'transient', reason: 'unexpected_error' };
  }
}

/**
 * Whether Slack answered the call, and so did not carry it out: an `ok: false` answer or a 429.
 * Anything else (a 5xx, a timeout, a dropped connection) leaves in doubt whether a post was made.
 */
export function slackAnswered(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'slack_webapi_platform_error' || code === 'slack_webapi_rate_limited_error';
}
