// Before a channel is added: can Herald post there? Public channels work without joining, through
// the chat:write.public scope. A private channel needs Herald invited (Slack offers no other way,
// as KubeSphere's setup also says), and an archived channel takes no posts at all.
import type { SlackApi } from './slackApi.js';
import { slackErrorCode } from './slackErrors.js';

export type Reachability = { ok: true; name: string } | { ok: false; reason: string };

const INVITE_FIRST = 'invite me first: `/invite @Herald` in that channel, then add it again';

export async function checkReachable(slack: SlackApi, channelId: string): Promise<Reachability> {
  let channel;
  try {
    channel = (await slack.conversations.info({ channel: channelId })).channel;
  } catch (error) {
    return { ok: false, reason: explainInfoFailure(channelId, error) };
  }
  const mention = `<#${channelId}>`;
  if (!channel) return { ok: false, reason: `Slack does not know the channel ${mention}.` };
  if (channel.is_im || channel.is_mpim) return { ok: false, reason: 'Alerts go to channels, not direct messages: pick a channel.' };
  if (channel.is_archived) return { ok: false, reason: `${mention} is archived: unarchive it, or pick another channel.` };
  if (channel.is_private && !channel.is_member) return { ok: false, reason: `${mention} is a private channel I am not in: ${INVITE_FIRST}.` };
  return { ok: true, name: channel.name ?? channelId };
}

function explainInfoFailure(channelId: string, error: unknown): string {
  const code = slackErrorCode(error);
  // Slack hides private channels from apps that are not in them: "not found" may well mean "private".
  if (code === 'channel_not_found') return `I cannot find <#${channelId}>. If it is a private channel, ${INVITE_FIRST}.`;
  if (code === 'missing_scope') return 'Herald lacks the permission to look up channels (channels:read, groups:read): reinstall Herald from its landing page to grant it.';
  return `Slack did not tell me about <#${channelId}> (\`${code}\`): try again in a moment.`;
}
