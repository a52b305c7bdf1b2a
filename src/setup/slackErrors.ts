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

/**
 * Why delivery gave up on a channel, and what fixes it: the person reading it goes to that channel
 * next, then adds it again with `/herald add`, which resumes deliveries.
 */
export function explainBrokenChannel(code: string | null): string {
  switch (code) {
    case 'is_archived':
      return 'the channel is archived. Unarchive it';
    case 'not_in_channel':
      return 'I was removed from the channel. Invite me back with `/invite @Herald` there';
    case 'channel_not_found':
      return 'Slack cannot find the channel: it was deleted, or it is private and I am no longer in it. If it still exists, `/invite @Herald` there';
    default:
      return 'Slack refused posts there. Check the channel still exists and I am in it';
  }
}
