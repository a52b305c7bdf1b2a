// The reply posted in an alert message's thread when its group resolves.
import type { KnownBlock } from '@slack/web-api';
import { contextBlock, sectionBlock } from './blocks.js';
import { groupTitle } from './groupTitle.js';
import { humanDuration, isValidDate, slackDate } from './slackDate.js';
import { mentionUser, mrkdwnText } from './text.js';
import type { AlertGroupView, SlackMessage } from './types.js';

const MAX_TITLE_CHARS = 200;

/** "✅ Resolved after 42 minutes", with when it fired and resolved, and who resolved it by hand. */
export function renderResolvedReply(group: AlertGroupView, firstFiredAt: Date, resolvedAt: Date): SlackMessage {
  const title = mrkdwnText(groupTitle(group), MAX_TITLE_CHARS);
  const known = isValidDate(firstFiredAt) && isValidDate(resolvedAt);
  const after = known ? ` after ${humanDuration(resolvedAt.getTime() - firstFiredAt.getTime())}` : '';
  const by = group.manuallyResolvedBy ? ` by ${mentionUser(group.manuallyResolvedBy)}` : '';
  const blocks: KnownBlock[] = [sectionBlock(`✅ *Resolved*${after}${by}`)];
  if (known) blocks.push(contextBlock([`Fired ${slackDate(firstFiredAt)} · Resolved ${slackDate(resolvedAt)}`]));
  return { text: `✅ Resolved${after}: ${title}`, blocks };
}
