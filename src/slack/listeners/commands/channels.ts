// `/herald add`, `remove` and `list`: which channels get alerts, with which filters.
import { parseChannelFilters } from '../../../alerts/filters.js';
import { slackDate } from '../../../render/slackDate.js';
import { escapeMrkdwn } from '../../../render/text.js';
import { ChannelLimitReached, MAX_CHANNELS, configureChannel, listChannels, removeChannel } from '../../../setup/channels.js';
import { checkReachable } from '../../../setup/reachability.js';
import { describeChannel, describeFilters } from '../../views/describe.js';
import { reply, warning, type Subcommand } from './context.js';
import { channelArg } from './parse.js';

const LIMIT_REACHED = `:no_entry: This workspace already has ${MAX_CHANNELS} alert channels, the most Herald allows. Free a slot with \`/herald remove #channel\` (\`/herald list\` shows them all), then add this one again.`;

export const add: Subcommand = {
  path: ['add'],
  args: '#channel [filters…]',
  summary: `send alerts to a channel (up to ${MAX_CHANNELS}), optionally only those matching the filters; again to change its filters`,
  example: '/herald add #ops-critical severity>=critical team=~"db|cache"',
  permission: 'configure',
  async run(ctx, args) {
    const { channelId } = channelArg(args[0], 'add');
    const filters = args.slice(1).join(' ');
    const parsedFilters = parseChannelFilters(filters);
    if (!parsedFilters.ok) return warning(`Invalid filter: ${parsedFilters.error}.`);
    const reachable = await checkReachable(ctx.slack, channelId);
    if (!reachable.ok) return reply(`:no_entry: ${reachable.reason}`);
    try {
      const { created, repaired } = await configureChannel(ctx.db, ctx.actor, { channelId, name: reachable.name, filters });
      const count = (await listChannels(ctx.db, ctx.actor.installationId)).length;
      const what = describeFilters(filters);
      if (created) {
        return reply(`:white_check_mark: Alerts now go to <#${channelId}>: ${what}. (${count} of ${MAX_CHANNELS} channels.) \`/herald test <#${channelId}>\` sends a sample.`);
      }
      // Alerts queued while it was broken are waiting for it: send them now rather than at the next poll.
      if (repaired) ctx.delivery.wake();
      const resumed = repaired
        ? ` It was broken since ${slackDate(repaired.brokenAt)}${repaired.reason ? ` (Slack said \`${escapeMrkdwn(repaired.reason)}\`)` : ''}: deliveries to it resume.`
        : '';
      return reply(`:white_check_mark: Updated <#${channelId}>: it now takes ${what}.${resumed}`);
    } catch (error) {
      if (error instanceof ChannelLimitReached) return reply(LIMIT_REACHED);
      throw error;
    }
  },
};

export const remove: Subcommand = {
  path: ['remove'],
  args: '#channel',
  summary: 'stop sending alerts to a channel (frees its slot)',
  example: '/herald remove #ops-critical',
  permission: 'configure',
  async run(ctx, args) {
    const { channelId } = channelArg(args[0], 'remove');
    const removed = await removeChannel(ctx.db, ctx.actor, channelId);
    if (!removed) return reply(`<#${channelId}> is not an alert channel; \`/herald list\` shows those that are.`);
    return reply(`:white_check_mark: Removed <#${channelId}>: Herald no longer posts alerts there.`);
  },
};

export const list: Subcommand = {
  path: ['list'],
  args: '',
  summary: 'the alert channels, their filters, grouping overrides, mute state, last delivery, and any error or broken channel',
  example: '/herald list',
  permission: 'anyone',
  async run(ctx) {
    const channels = await listChannels(ctx.db, ctx.actor.installationId);
    if (channels.length === 0) return reply('No alert channels yet. `/herald add #channel` adds one.');
    const lines = channels.map((channel) => `• ${describeChannel(channel, ctx.now)}`);
    return reply([`*Alert channels (${channels.length} of ${MAX_CHANNELS})*`, ...lines].join('\n'));
  },
};
