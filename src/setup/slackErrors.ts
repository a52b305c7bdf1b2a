// Slack's answers to Herald's Web API calls, as the people typing /herald need to read them.

/** The `error` of Slack's answer (`channel_not_found`, …), or what kept the call from getting one. */
export function slackErrorCode(error: unknown): string {
  const failure = error as { data?: { error?: unknown }; code?: unknown };
  if (typeof failure.data?.error === 'string') return failure.data.error;
  if (failure.code === 'slack_webapi_rate_limited_error') return 'ratelimited';
  return typeof failure.code === 'string' ? failure.code : 'unknown_error';
}

/** Why a post to a channel failed, and what to do about it. */
export function explainPostFailure(code: string): string {
  switch (code) {
    case 'not_in_channel':
      return 'I am not in that channel: invite me first with `/invite @Herald` there';
    case 'channel_not_found':
      return 'Slack cannot find that channel (deleted, or private without me): `/invite @Herald` there, or remove it';
    case 'is_archived':
      return 'the channel is archived: unarchive it, or remove it from Herald';
    case 'ratelimited':
      return 'Slack is rate-limiting posts to that channel: try again in a minute';
    default:
      return `Slack answered \`${code}\``;
  }
}
