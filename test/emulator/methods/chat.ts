// chat.postMessage, chat.update and chat.postEphemeral.
import { SlackApiError, boolArg, fail, stringArg } from '../args.js';
import { readMessageContent } from '../messageContent.js';
import { messageJson } from '../slackJson.js';
import type { AuthedContext, TokenMethod } from '../webApi.js';
import { writableChannel } from './channelAccess.js';

const TS_PATTERN = /^\d+\.\d+$/;

/**
 * Slack allows about one message per second per channel. Only messages that would otherwise be posted
 * count, so a test's refused calls never eat into the next test step's burst.
 */
function enforceRateLimit(ctx: AuthedContext, channelId: string): void {
  const decision = ctx.core.rateLimiter.take(`${ctx.auth.teamId}:${channelId}`);
  if (!decision.allowed) {
    throw new SlackApiError('ratelimited', {}, 429, { 'Retry-After': String(decision.retryAfterSeconds) });
  }
}

function threadTs(ctx: AuthedContext): string | undefined {
  const value = stringArg(ctx.args, 'thread_ts');
  if (value !== undefined && !TS_PATTERN.test(value)) fail('invalid_thread_ts');
  return value;
}

/**
 * The thread a new message joins. Slack does not refuse a thread_ts it cannot find in the channel
 * (never posted, or deleted since): it posts the message top-level and answers ok, with no thread_ts
 * in the returned message, which is the only sign the reply was un-threaded (slack-go/slack#1571,
 * PostHog/posthog#83601). There is no thread_not_found for chat.postMessage.
 */
function existingThread(ctx: AuthedContext, channelId: string): string | undefined {
  const thread = threadTs(ctx);
  return thread !== undefined && ctx.core.state.findMessage(channelId, thread) ? thread : undefined;
}

const postMessage: TokenMethod = {
  scopes: ['chat:write'],
  handle(ctx) {
    const channel = writableChannel(ctx, stringArg(ctx.args, 'channel'));
    const content = readMessageContent(ctx.args);
    const thread = existingThread(ctx, channel.id);
    // reply_broadcast only means something "in conjunction with thread_ts"; elsewhere Slack ignores it.
    const replyBroadcast = thread !== undefined && boolArg(ctx.args, 'reply_broadcast') ? true : undefined;
    enforceRateLimit(ctx, channel.id);
    const message = ctx.core.state.postMessage({
      teamId: ctx.auth.teamId,
      channel: channel.id,
      text: content.text,
      blocks: content.blocks,
      attachments: content.attachments,
      metadata: content.metadata,
      thread_ts: thread,
      replyBroadcast,
      user: ctx.auth.userId,
      bot_id: ctx.auth.botId,
      source: 'api',
    });
    return { ok: true, channel: channel.id, ts: message.ts, message: messageJson(ctx.core, message) };
  },
};

const update: TokenMethod = {
  scopes: ['chat:write'],
  handle(ctx) {
    const channel = writableChannel(ctx, stringArg(ctx.args, 'channel'));
    const ts = stringArg(ctx.args, 'ts') ?? fail('message_not_found');
    const message = ctx.core.state.findMessage(channel.id, ts) ?? fail('message_not_found');
    // Apps may only edit what they posted.
    if (message.user !== ctx.auth.userId) fail('cant_update_message');
    const content = readMessageContent(ctx.args);
    // Fields left out keep their value, as Slack documents for blocks and attachments.
    if (content.text !== undefined) message.text = content.text;
    if (content.blocks !== undefined) message.blocks = content.blocks;
    if (content.attachments !== undefined) message.attachments = content.attachments;
    if (content.metadata !== undefined) message.metadata = content.metadata;
    message.edits += 1;
    message.updatedAt = ctx.core.options.now();
    return { ok: true, channel: channel.id, ts, text: message.text ?? '', message: messageJson(ctx.core, message) };
  },
};

const postEphemeral: TokenMethod = {
  scopes: ['chat:write'],
  handle(ctx) {
    const channel = writableChannel(ctx, stringArg(ctx.args, 'channel'));
    const userId = stringArg(ctx.args, 'user') ?? fail('user_not_found');
    const user = ctx.core.state.users.get(userId);
    if (!user || user.teamId !== ctx.auth.teamId) fail('user_not_found');
    if (!channel.members.has(userId)) fail('user_not_in_channel');
    const content = readMessageContent(ctx.args);
    const messageTs = ctx.core.state.nextTs(channel.id);
    ctx.core.state.ephemerals.push({
      teamId: ctx.auth.teamId,
      channel: channel.id,
      user: userId,
      text: content.text,
      blocks: content.blocks,
      message_ts: messageTs,
      thread_ts: threadTs(ctx),
      at: ctx.core.options.now(),
    });
    return { ok: true, message_ts: messageTs };
  },
};

export const chatMethods = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.postEphemeral': postEphemeral,
};
