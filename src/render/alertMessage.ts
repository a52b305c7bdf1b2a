// An alert group as one Slack message: the entry point of the renderer.
//
// Layout, top to bottom:
//   header            "🔴 Firing: HighLatency"                      (top-level block)
//   ┃ body            description, labels as fields, list of alerts  (or the sender's own blocks)
//   ┃ links           Source / Dashboard / Runbook / Silence buttons
//   ┃ status          "*Firing* · Critical · 3 firing, 1 resolved · Started <date>"
//   ┃ people          "👀 Acknowledged by @ann …", "🔕 Silenced until …", "🙋 Resolved by …"
//   ┃ actions         Acknowledge · Silence… · Resolve             (gone once resolved)
// The ┃ part sits in one attachment, because only attachments get the coloured bar that shows
// severity at a glance.
import type { MessageAttachment } from '@slack/web-api';
import { actionButtons } from './actionButtons.js';
import { alertBody } from './alertBody.js';
import { displayOrder } from './alertOrder.js';
import { headerBlock, LayoutBudget } from './blocks.js';
import { peopleContext, statusContext } from './contextLines.js';
import { fallbackText } from './fallbackText.js';
import { groupTitle } from './groupTitle.js';
import { MAX_BLOCKS_PER_MESSAGE, MAX_HEADER_TEXT } from './limits.js';
import { linkButtons } from './linkButtons.js';
import { hasSenderBlocks, senderBlocks } from './senderBlocks.js';
import { groupSeverity, styleOf } from './severityStyle.js';
import { plainText } from './text.js';
import type { AlertGroupView, RenderOptions, SlackMessage } from './types.js';

/**
 * Characters of block text Herald allows itself: well under Slack's undocumented ~12,000 total
 * (MAX_TOTAL_BLOCK_TEXT), because how Slack counts is not known exactly. Compact is for the retry.
 */
const TEXT_BUDGET = { normal: 9_000, compact: 4_500 };
const DESCRIPTION_BUDGET = { normal: 2_500, compact: 800 };
/** Link buttons get at most this share of the text budget: URLs count, and can be 3,000 long each. */
const LINKS_SHARE = 0.25;

export function renderAlertGroup(group: AlertGroupView, options: RenderOptions = {}): SlackMessage {
  const size = options.compact ? 'compact' : 'normal';
  const alerts = displayOrder(group.alerts);
  const title = groupTitle(group);
  const style = styleOf(groupSeverity(alerts), group.status);
  const text = fallbackText(group);

  const header = headerBlock(plainText(`${style.emoji} ${group.status === 'resolved' ? 'Resolved' : 'Firing'}: ${title}`, MAX_HEADER_TEXT));
  const budget = new LayoutBudget(MAX_BLOCKS_PER_MESSAGE, TEXT_BUDGET[size]);
  budget.spend(header);

  // The parts below the body are small and always shown, so they are counted first.
  const links = linkButtons(alerts, Math.floor(budget.chars * LINKS_SHARE));
  const footer = [links, statusContext(group), peopleContext(group), actionButtons(group)].filter(
    (block): block is NonNullable<typeof block> => block !== null,
  );
  for (const block of footer) budget.spend(block);

  const body = hasSenderBlocks(alerts)
    ? senderBlocks(alerts, budget)
    : alertBody(alerts, { title, groupLabels: group.groupLabels, maxDescriptionChars: DESCRIPTION_BUDGET[size] }, budget);

  const attachment: MessageAttachment = { color: style.color, fallback: text, blocks: [...body, ...footer] };
  return { text, blocks: [header], attachments: [attachment] };
}
