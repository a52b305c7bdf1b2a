// `/herald mute #channel DURATION` and `unmute #channel`: a quiet channel for a while.
import { formatDuration, parseDuration } from '../../../alerts/duration.js';
import { slackDate } from '../../../render/slackDate.js';
import { setChannelMute } from '../../../setup/channels.js';
import { UsageError, reply, warning, type Subcommand } from './context.js';
import { channelArg } from './parse.js';

const notConfigured = (channelId: string) => reply(`<#${channelId}> is not an alert channel; \`/herald list\` shows those that are.`);

export const mute: Subcommand = {
  path: ['mute'],
  args: '#channel DURATION',
  summary: 'post nothing to a channel for a while',
  example: '/herald mute #ops-critical 2h',
  permission: 'configure',
  async run(ctx, args) {
    const { channelId } = channelArg(args[0], 'mute');
    if (args[1] === undefined) throw new UsageError('mute needs a duration, such as 30m, 2h or 1d.');
    const duration = parseDuration(args[1]);
    if (!duration.ok) return warning(`${duration.error}.`);
    const until = new Date(ctx.now.getTime() + duration.value);
    const channel = await setChannelMute(ctx.db, ctx.actor, channelId, until);
    if (!channel) return notConfigured(channelId);
    return reply(`:mute: Muted <#${channelId}> for ${formatDuration(duration.value)}, until ${slackDate(until)}. \`/herald unmute <#${channelId}>\` ends it sooner.`);
  },
};

export const unmute: Subcommand = {
  path: ['unmute'],
  args: '#channel',
  summary: 'end a mute',
  example: '/herald unmute #ops-critical',
  permission: 'configure',
  async run(ctx, args) {
    const { channelId } = channelArg(args[0], 'unmute');
    const channel = await setChannelMute(ctx.db, ctx.actor, channelId, null);
    if (!channel) return notConfigured(channelId);
    return reply(`:loud_sound: <#${channelId}> is no longer muted.`);
  },
};
