// conversations.history (a channel's messages, newest first) and conversations.replies (a thread,
// its parent first, then the replies oldest first), in pages. Reading a channel needs the bot in it:
// a public channel chat:write.public lets the app post in without joining answers not_in_channel
// here, as Slack does. Metadata comes back only when include_all_metadata is set.
import { boolArg, fail, stringArg } from '../args.js';
import { requireScope } from '../authenticate.js';
import { messageJson } from '../slackJson.js';
import type { Channel } from '../state.js';
import type { PostedMessage, WebApiBody } from '../types.js';
import type { AuthedContext, TokenMethod } from '../webApi.js';
import { visibleChannel } from './channelAccess.js';

const DEFAULT_LIMIT = { history: 100, replies: 1000 };
/** Larger limits are cut to this (Slack documents 999 for history; replies default to 1000). */
const MAX_LIMIT = 1000;

/** A ts as whole microseconds, so comparisons are exact (a double cannot hold "1700000000.000001" exactly). */
function micros(ts: string): number {
  const [seconds = '0', fraction = ''] = ts.split('.');
  return Number(seconds) * 1_000_000 + Number(fraction.padEnd(6, '0').slice(0, 6));
}

function tsArg(ctx: AuthedContext, name: 'oldest' | 'latest'): number | undefined {
  const value = stringArg(ctx.args, name);
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(value)) fail(`invalid_ts_${name}`);
  return micros(value);
}

/** The channel, readable by this token: visible, the right *:history scope for its kind, and the bot in it. */
function readableChannel(ctx: AuthedContext): Channel {
  const channel = visibleChannel(ctx, stringArg(ctx.args, 'channel'));
  requireScope(ctx.auth, [channel.isPrivate ? 'groups:history' : 'channels:history']);
  if (!channel.members.has(ctx.auth.userId)) fail('not_in_channel');
  return channel;
}

/** Whether a message is inside the oldest/latest window (bounds excluded unless `inclusive`). */
function inWindow(ctx: AuthedContext): (message: PostedMessage) => boolean {
  const oldest = tsArg(ctx, 'oldest');
  const latest = tsArg(ctx, 'latest');
  const inclusive = boolArg(ctx.args, 'inclusive');
  return (message) => {
    const at = micros(message.ts);
    if (oldest !== undefined && (at < oldest || (at === oldest && !inclusive))) return false;
    if (latest !== undefined && (at > latest || (at === latest && !inclusive))) return false;
    return true;
  };
}

const encodeCursor = (ts: string) => Buffer.from(`next_ts:${ts}`).toString('base64');

function decodeCursor(ctx: AuthedContext): number | undefined {
  const cursor = stringArg(ctx.args, 'cursor');
  if (cursor === undefined) return undefined;
  const match = /^next_ts:(\d+\.\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return match ? micros(match[1] as string) : fail('invalid_cursor');
}

/** One page of `messages` (already in answer order), from the cursor on; `newestFirst` says which way the cursor moves. */
function page(ctx: AuthedContext, messages: PostedMessage[], newestFirst: boolean, defaultLimit: number): WebApiBody {
  const from = decodeCursor(ctx);
  const requested = Math.floor(Number(stringArg(ctx.args, 'limit') ?? defaultLimit));
  const limit = Number.isFinite(requested) && requested > 0 ? Math.min(requested, MAX_LIMIT) : defaultLimit;
  const rest = from === undefined ? messages : messages.filter((m) => (newestFirst ? micros(m.ts) <= from : micros(m.ts) >= from));
  const shown = rest.slice(0, limit);
  const next = rest[limit];
  const withMetadata = boolArg(ctx.args, 'include_all_metadata');
  return {
    ok: true,
    messages: shown.map((message) => {
      const json = messageJson(ctx.core, message);
      if (!withMetadata) delete json.metadata;
      // A parent with replies carries its own ts as thread_ts, and how many replies it has.
      return message.thread_ts === undefined && message.replyCount > 0 ? { ...json, thread_ts: message.ts, reply_count: message.replyCount } : json;
    }),
    has_more: next !== undefined,
    ...(next ? { response_metadata: { next_cursor: encodeCursor(next.ts) } } : {}),
  };
}

const history: TokenMethod = {
  // Which of the two is needed depends on the channel: channels:history for public, groups:history for private.
  scopes: ['channels:history', 'groups:history'],
  handle(ctx) {
    const channel = readableChannel(ctx);
    const within = inWindow(ctx);
    // Thread replies stay in their thread, except those also sent to the channel (reply_broadcast).
    const messages = ctx.core.state.messages
      .filter((m) => m.channel === channel.id && (m.thread_ts === undefined || m.replyBroadcast === true) && within(m))
      .sort((a, b) => micros(b.ts) - micros(a.ts));
    return { ...page(ctx, messages, true, DEFAULT_LIMIT.history), pin_count: 0, channel_actions_ts: null, channel_actions_count: 0 };
  },
};

const replies: TokenMethod = {
  scopes: ['channels:history', 'groups:history'],
  handle(ctx) {
    const channel = readableChannel(ctx);
    const ts = stringArg(ctx.args, 'ts') ?? fail('invalid_arguments');
    const { state } = ctx.core;
    // The ts of a reply names its whole thread.
    const named = state.findMessage(channel.id, ts) ?? fail('thread_not_found');
    const parent = named.thread_ts === undefined ? named : (state.findMessage(channel.id, named.thread_ts) ?? fail('thread_not_found'));
    const within = inWindow(ctx);
    const thread = state.messages.filter((m) => m.channel === channel.id && m.thread_ts === parent.ts && within(m)).sort((a, b) => micros(a.ts) - micros(b.ts));
    return page(ctx, [parent, ...thread], false, DEFAULT_LIMIT.replies);
  },
};

export const historyMethods = { 'conversations.history': history, 'conversations.replies': replies };
