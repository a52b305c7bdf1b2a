// One line of mrkdwn per channel, token and silence: the same words in `/herald list`, the App Home
// and the other answers, so people learn one vocabulary.
import { humanDuration, slackDate } from '../../render/slackDate.js';
import { escapeMrkdwn } from '../../render/text.js';
import { explainPostFailure } from '../../setup/slackErrors.js';
import { shortId } from '../../setup/silences.js';

export interface ChannelFacts {
  channelId: string;
  filters: string;
  mutedUntil: Date | null;
  lastDeliveryAt: Date | null;
  lastError: string | null;
}

export interface TokenFacts {
  name: string;
  prefix: string;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  signingSecret: string | null;
  allowedNetworks: string;
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
  const parts = [
    `<#${channel.channelId}>`,
    describeFilters(channel.filters),
    describeMute(channel.mutedUntil, now),
    channel.lastDeliveryAt ? `last delivery ${slackDate(channel.lastDeliveryAt)}` : 'nothing delivered yet',
  ].filter((part) => part !== null);
  const error = channel.lastError ? `\n:warning: last error: ${explainPostFailure(channel.lastError)}` : '';
  return parts.join(' · ') + error;
}

export function describeToken(token: TokenFacts): string {
  const parts = [
    `*${escapeMrkdwn(token.name)}*`,
    `\`${token.prefix}\``,
    token.signingSecret ? 'signed' : null,
    token.allowedNetworks ? `from ${token.allowedNetworks.split(',').join(', ')}` : null,
    `created by <@${token.createdBy}> ${slackDate(token.createdAt)}`,
    token.lastUsedAt ? `last used ${slackDate(token.lastUsedAt)}` : 'never used',
  ].filter((part) => part !== null);
  return parts.join(' · ');
}

export function describeSilence(silence: SilenceFacts): string {
  const comment = silence.comment ? ` · “${escapeMrkdwn(silence.comment)}”` : '';
  return `\`${shortId(silence.id)}\` \`${escapeMrkdwn(silence.matchers)}\` until ${slackDate(silence.endsAt)} · by <@${silence.createdBy}>${comment}`;
}
