// conversations.info and conversations.join.
import { fail, stringArg } from '../args.js';
import { requireScope } from '../authenticate.js';
import { channelJson } from '../slackJson.js';
import type { TokenMethod } from '../webApi.js';
import { visibleChannel } from './channelAccess.js';

const info: TokenMethod = {
  // Which of the two is needed depends on the channel: channels:read for public, groups:read for private.
  scopes: ['channels:read', 'groups:read'],
  handle(ctx) {
    const channel = visibleChannel(ctx, stringArg(ctx.args, 'channel'));
    requireScope(ctx.auth, [channel.isPrivate ? 'groups:read' : 'channels:read']);
    return { ok: true, channel: channelJson(channel, ctx.auth.userId) };
  },
};

const join: TokenMethod = {
  scopes: ['channels:join'],
  handle(ctx) {
    const ref = stringArg(ctx.args, 'channel');
    const channel = ref ? ctx.core.state.findChannel(ctx.auth.teamId, ref) : undefined;
    if (!channel) return fail('channel_not_found');
    // Nobody can join a private channel by themselves; they must be invited.
    if (channel.isPrivate) fail('method_not_supported_for_channel_type');
    if (channel.isArchived) fail('is_archived');
    const alreadyIn = channel.members.has(ctx.auth.userId);
    channel.members.add(ctx.auth.userId);
    const body = { ok: true, channel: channelJson(channel, ctx.auth.userId) };
    return alreadyIn
      ? { ...body, warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } }
      : body;
  },
};

export const conversationMethods = { 'conversations.info': info, 'conversations.join': join };
