// `/herald test [#channel]`: a sample alert in one alert channel, or in all of them.
import { findChannel, listChannels } from '../../../setup/channels.js';
import { explainPostFailure } from '../../../setup/slackErrors.js';
import { sendTestAlert, type TestOutcome } from '../../../setup/testAlert.js';
import { reply, type Subcommand } from './context.js';
import { channelArg } from './parse.js';

export const test: Subcommand = {
  path: ['test'],
  args: '[#channel]',
  summary: 'send a sample alert to a channel, or to every alert channel',
  example: '/herald test #ops-critical',
  permission: 'configure',
  async run(ctx, args) {
    const { installationId } = ctx.actor;
    let channels;
    if (args[0] === undefined) {
      channels = await listChannels(ctx.db, installationId);
      if (channels.length === 0) return reply('No alert channels yet. `/herald add #channel` adds one; then test it.');
    } else {
      const { channelId } = channelArg(args[0], 'test');
      const channel = await findChannel(ctx.db, installationId, channelId);
      if (!channel) return reply(`<#${channelId}> is not an alert channel yet: \`/herald add <#${channelId}>\` first.`);
      channels = [channel];
    }
    const outcomes = await Promise.all(channels.map(async (channel) => ({ channel, outcome: await sendTestAlert({ db: ctx.db, delivery: ctx.delivery, now: ctx.now }, channel) })));
    const lines = outcomes.map(({ channel, outcome }) => `${describeOutcome(outcome)} <#${channel.channelId}>${'code' in outcome ? `: ${explainPostFailure(outcome.code)}` : ''}`);
    const failed = outcomes.filter(({ outcome }) => 'code' in outcome).length;
    const summary = failed === 0 ? 'Test alert sent:' : `Test alert: ${failed} of ${outcomes.length} failed.`;
    return reply([summary, ...lines].join('\n'));
  },
};

function describeOutcome(outcome: TestOutcome): string {
  if ('queued' in outcome) return ':hourglass_flowing_sand: queued (Slack is slow or rate-limiting; it will arrive):';
  return outcome.ok ? ':white_check_mark:' : ':x:';
}
