// One line of mrkdwn per channel, token and silence: the same words in `/herald list`, the App Home
// and the other answers, so people learn one vocabulary.
import { formatDuration } from '../../alerts/duration.js';
import { GROUP_BY_ALL, effectiveGrouping, type GroupingColumns } from '../../delivery/groupingSettings.js';
import { humanDuration, slackDate } from '../../render/slackDate.js';
import { escapeMrkdwn } from '../../render/text.js';
import { GROUPING_COLUMN, GROUPING_KEYS, NOTHING_SET, groupingValueText, keysSet, type GroupingKey } from '../../setup/grouping.js';
import { explainBrokenChannel, explainPostFailure } from '../../setup/slackErrors.js';
import { shortId } from '../../setup/silences.js';

/** A channel as people see it; its grouping columns are its own overrides (null = inherited). */
export interface ChannelFacts extends GroupingColumns {
  channelId: string;
  filters: string;
  mutedUntil: Date | null;
  lastDeliveryAt: Date | null;
  lastError: string | null;
  /** Set by delivery when Slack said the channel cannot be posted to; cleared by `/herald add`. */
  brokenAt: Date | null;
  brokenReason: string | null;
}

export interface TokenFacts {
  name: string;
  prefix: string;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  signingSecret: string | null;
  allowedNetworks: string;
  silenceWriteBack: boolean;
}

export interface SilenceFacts {
  id: string;
  matchers: string;
  comment: string;
  createdBy: string;
  endsAt: Date;
}

/** `severity>=critical` in code style, or "all alerts". */
export function describeFilters(filters: string): string {
  return filters === '' ? 'all alerts' : `\`${escapeMrkdwn(filters)}\``;
}

export function describeMute(mutedUntil: Date | null, now: Date): string | null {
  if (!mutedUntil || mutedUntil <= now) return null;
  return `:mute: muted until ${slackDate(mutedUntil)} (${humanDuration(mutedUntil.getTime() - now.getTime())} left)`;
}

export function describeChannel(channel: ChannelFacts, now: Date): string {
  const ownGrouping = describeOwnGrouping(channel);
  const parts = [
    `<#${channel.channelId}>`,
    describeFilters(channel.filters),
    ownGrouping ? `grouping ${ownGrouping}` : null,
    describeMute(channel.mutedUntil, now),
    channel.lastDeliveryAt ? `last delivery ${slackDate(channel.lastDeliveryAt)}` : 'nothing delivered yet',
  ].filter((part) => part !== null);
  // A broken channel's last error is why it broke: the broken line says it, and how to repair it.
  const problem = channel.brokenAt
    ? `\n${describeBroken(channel, channel.brokenAt)}`
    : channel.lastError
      ? `\n:warning: last error: ${explainPostFailure(channel.lastError)}`
      : '';
  return parts.join(' · ') + problem;
}

/**
 * Broken: since when, what Slack said, what to do. The `/herald add` to type again carries the
 * channel's filters, because `add` without filters would also drop them.
 */
export function describeBroken(channel: Pick<ChannelFacts, 'channelId' | 'filters' | 'brokenReason'>, brokenAt: Date): string {
  const said = channel.brokenReason ? `Slack said \`${escapeMrkdwn(channel.brokenReason)}\`: ` : '';
  const addAgain = ['/herald add', `<#${channel.channelId}>`, escapeMrkdwn(channel.filters)].filter(Boolean).join(' ');
  return `:warning: *broken since ${slackDate(brokenAt)}*, Herald posts nothing there. ${said}${explainBrokenChannel(channel.brokenReason)}, then \`${addAgain}\` again to resume deliveries.`;
}

/** `\`group_wait=0s\` \`repeat_interval=1h\``: the settings a row has of its own; null when it has none. */
export function describeOwnGrouping(columns: GroupingColumns): string | null {
  const keys = keysSet(columns);
  if (keys.length === 0) return null;
  return keys.map((key) => `\`${key}=${escapeMrkdwn(groupingValueText(columns[GROUPING_COLUMN[key]] ?? ''))}\``).join(' ');
}

/**
 * Every setting in force, as typed to set it: for the workspace (`channel` null), or for a channel.
 * Inherited values say where they come from, so people see what `reset` would fall back to.
 */
export function describeGrouping(workspace: GroupingColumns, channel: GroupingColumns | null): string {
  const { groupBy, timing } = effectiveGrouping(workspace, channel ?? NOTHING_SET);
  const values: Record<GroupingKey, string> = {
    group_by: groupBy === 'all' ? GROUP_BY_ALL : groupBy.join(','),
    group_wait: formatDuration(timing.groupWaitMs),
    group_interval: formatDuration(timing.groupIntervalMs),
    repeat_interval: formatDuration(timing.repeatIntervalMs),
  };
  return GROUPING_KEYS.map((key) => {
    const column = GROUPING_COLUMN[key];
    const origin = channel && channel[column] !== null ? null : workspace[column] !== null ? (channel ? 'workspace' : null) : 'default';
    return `\`${key}=${escapeMrkdwn(values[key])}\`${origin ? ` _(${origin})_` : ''}`;
  }).join(' · ');
}

export function describeToken(token: TokenFacts): string {
  const parts = [
    `*${escapeMrkdwn(token.name)}*`,
    `\`${token.prefix}\``,
    token.signingSecret ? 'signed' : null,
    token.allowedNetworks ? `from ${token.allowedNetworks.split(',').join(', ')}` : null,
    token.silenceWriteBack ? 'silences written back to the sending Alertmanager' : null,
    `created by <@${token.createdBy}> ${slackDate(token.createdAt)}`,
    token.lastUsedAt ? `last used ${slackDate(token.lastUsedAt)}` : 'never used',
  ].filter((part) => part !== null);
  return parts.join(' · ');
}

export function describeSilence(silence: SilenceFacts): string {
  const comment = silence.comment ? ` · “${escapeMrkdwn(silence.comment)}”` : '';
  return `\`${shortId(silence.id)}\` \`${escapeMrkdwn(silence.matchers)}\` until ${slackDate(silence.endsAt)} · by <@${silence.createdBy}>${comment}`;
}
