// The App Home tab: the whole configuration at a glance (channels, tokens, silences, recent
// deliveries), with buttons for the common changes and a getting-started section while nothing is
// set up. Pure: data in, view out. Slack allows 100 blocks in a home view; the largest possible
// configuration (20 channels at two blocks each, {@link MAX_SILENCES_SHOWN} silences) stays well below.
import type { ActionsBlock, Button, HomeView, KnownBlock, SectionBlock } from '@slack/types';
import { slackDate } from '../../render/slackDate.js';
import { cutText, escapeMrkdwn } from '../../render/text.js';
import { MAX_CHANNELS } from '../../setup/channels.js';
import { explainPostFailure } from '../../setup/slackErrors.js';
import { describeChannel, describeSilence, describeToken, type ChannelFacts, type SilenceFacts, type TokenFacts } from './describe.js';
import { HOME_ACTIONS } from './homeActions.js';

export const MAX_HOME_BLOCKS = 100;
export const MAX_SILENCES_SHOWN = 25;
export const MAX_TOKENS_SHOWN = 15;
export const RECENT_DELIVERIES = 10;
const MAX_SECTION_TEXT = 3000;

export interface HomeInput {
  channels: (ChannelFacts & { name: string })[];
  tokens: TokenFacts[];
  silences: SilenceFacts[];
  /** Whether the viewer may change the configuration: only then are there buttons. */
  canConfigure: boolean;
  /** A line at the top, e.g. what the last button did. */
  notice?: string;
  now: Date;
}

/** A HomeView (what views.publish takes), with its blocks typed as the ones Herald draws. */
export interface HomeTab extends HomeView {
  blocks: KnownBlock[];
}

export function appHomeView(input: HomeInput): HomeTab {
  const isEmpty = input.channels.length === 0 && input.tokens.length === 0;
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Herald' } },
    context('Monitoring alerts in the right channels. `/herald help` lists every command.'),
    ...(input.notice ? [section(input.notice)] : []),
    ...(isEmpty ? gettingStarted() : []),
    ...channelBlocks(input),
    ...tokenBlocks(input.tokens),
    ...silenceBlocks(input),
    ...deliveryBlocks(input.channels),
  ];
  return { type: 'home', blocks };
}

function gettingStarted(): KnownBlock[] {
  return [
    { type: 'divider' },
    section(
      [
        '*Getting started*',
        '1. `/herald token create prometheus` creates a token and shows how to configure Alertmanager, Grafana, W&B or curl.',
        '2. `/herald add #channel severity>=error` picks a channel for alerts (up to 20, each with its own filters).',
        '3. `/herald test #channel` sends a sample alert, so you see what Herald posts.',
      ].join('\n'),
    ),
  ];
}

function channelBlocks(input: HomeInput): KnownBlock[] {
  const blocks: KnownBlock[] = [{ type: 'divider' }, header(`Alert channels (${input.channels.length}/${MAX_CHANNELS})`)];
  if (input.channels.length === 0) return [...blocks, section('No alert channels yet: `/herald add #channel` adds one.')];
  for (const channel of input.channels) {
    blocks.push(section(describeChannel(channel, input.now)));
    if (input.canConfigure) blocks.push(channelButtons(channel));
  }
  return blocks;
}

function channelButtons(channel: { channelId: string; name: string }): ActionsBlock {
  const name = cutText(channel.name, 60);
  const remove: Button = {
    type: 'button',
    action_id: HOME_ACTIONS.removeChannel,
    text: { type: 'plain_text', text: 'Remove' },
    style: 'danger',
    value: channel.channelId,
    confirm: {
      title: { type: 'plain_text', text: `Remove #${name}?` },
      text: { type: 'mrkdwn', text: `Herald stops posting alerts to <#${channel.channelId}> and forgets its filters.` },
      confirm: { type: 'plain_text', text: 'Remove' },
      deny: { type: 'plain_text', text: 'Cancel' },
    },
  };
  return {
    type: 'actions',
    elements: [{ type: 'button', action_id: HOME_ACTIONS.sendTest, text: { type: 'plain_text', text: 'Send test' }, value: channel.channelId }, remove],
  };
}

function tokenBlocks(tokens: TokenFacts[]): KnownBlock[] {
  const blocks: KnownBlock[] = [{ type: 'divider' }, header('Ingest tokens')];
  if (tokens.length === 0) return [...blocks, section('No tokens yet: `/herald token create NAME` makes one for a monitor.')];
  const lines = fittingLines(tokens.slice(0, MAX_TOKENS_SHOWN).map((token) => `• ${describeToken(token)}`), MAX_SECTION_TEXT - 100);
  const hidden = tokens.length - lines.length;
  if (hidden > 0) lines.push(`…and ${hidden} more: \`/herald token list\``);
  return [...blocks, section(lines.join('\n'))];
}

/** The first lines that fit in `maxLength` characters together, so a list is cut between lines, not inside one. */
function fittingLines(lines: string[], maxLength: number): string[] {
  let length = 0;
  const fitting: string[] = [];
  for (const line of lines) {
    length += line.length + 1;
    if (length > maxLength) break;
    fitting.push(line);
  }
  return fitting;
}

function silenceBlocks(input: HomeInput): KnownBlock[] {
  const blocks: KnownBlock[] = [{ type: 'divider' }, header('Active silences')];
  if (input.silences.length === 0) return [...blocks, section('No active silences.')];
  for (const silence of input.silences.slice(0, MAX_SILENCES_SHOWN)) {
    const block = section(describeSilence(silence));
    if (input.canConfigure) {
      block.accessory = { type: 'button', action_id: HOME_ACTIONS.expireSilence, text: { type: 'plain_text', text: 'Expire' }, value: silence.id };
    }
    blocks.push(block);
  }
  const hidden = input.silences.length - MAX_SILENCES_SHOWN;
  if (hidden > 0) blocks.push(context(`…and ${hidden} more: \`/herald silence list\``));
  return blocks;
}

function deliveryBlocks(channels: ChannelFacts[]): KnownBlock[] {
  const blocks: KnownBlock[] = [{ type: 'divider' }, header('Recent deliveries')];
  const recent = channels
    .filter((channel): channel is ChannelFacts & { lastDeliveryAt: Date } => channel.lastDeliveryAt !== null)
    .sort((a, b) => b.lastDeliveryAt.getTime() - a.lastDeliveryAt.getTime())
    .slice(0, RECENT_DELIVERIES);
  blocks.push(
    section(recent.length ? recent.map((c) => `• <#${c.channelId}> ${slackDate(c.lastDeliveryAt)}`).join('\n') : 'Nothing delivered yet: `/herald test` sends a sample alert.'),
  );
  const failing = channels.filter((channel) => channel.lastError || channel.brokenAt);
  if (failing.length) {
    // Broken channels get nothing until added again; their entry under Alert channels says how.
    const lines = failing.map((c) => `• <#${c.channelId}>: ${c.brokenAt ? brokenSummary(c.brokenReason) : explainPostFailure(c.lastError ?? '')}`);
    blocks.push(section([':warning: *Failing channels*', ...fittingLines(lines, MAX_SECTION_TEXT - 100)].join('\n')));
  }
  return blocks;
}

const brokenSummary = (reason: string | null): string =>
  `*broken*${reason ? ` (Slack said \`${escapeMrkdwn(reason)}\`)` : ''}: nothing is posted there until it is added again`;

const header = (text: string): KnownBlock => ({ type: 'header', text: { type: 'plain_text', text } });
const section = (text: string): SectionBlock => ({ type: 'section', text: { type: 'mrkdwn', text: cutText(text, MAX_SECTION_TEXT) } });
const context = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });
