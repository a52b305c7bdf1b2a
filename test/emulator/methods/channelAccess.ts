// Which channels a token may see and write to, and the error Slack gives when it may not.
import { fail } from '../args.js';
import type { Channel } from '../state.js';
import type { AuthedContext } from '../webApi.js';

/** A channel the token can see: private channels it is not in look absent, as in Slack. */
export function visibleChannel(ctx: AuthedContext, ref: string | undefined): Channel {
  const channel = ref ? ctx.core.state.findChannel(ctx.auth.teamId, ref) : undefined;
  if (!channel) return fail('channel_not_found');
  if (channel.isPrivate && !channel.members.has(ctx.auth.userId)) fail('channel_not_found');
  return channel;
}

/** A channel the token may post in: not archived, and joined unless chat:write.public lets it post from outside. */
export function writableChannel(ctx: AuthedContext, ref: string | undefined): Channel {
  const channel = visibleChannel(ctx, ref);
  if (channel.isArchived) fail('is_archived');
  if (!channel.members.has(ctx.auth.userId) && !ctx.auth.scopes.includes('chat:write.public')) fail('not_in_channel');
  return channel;
}
