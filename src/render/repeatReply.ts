// The thread reply that reminds a channel of a group still firing once its repeat interval passed.
// It is broadcast to the channel (a reminder nobody sees is none), while the group keeps its one
// living message: the reply links back to it.
import { sectionBlock } from './blocks.js';
import { groupTitle } from './groupTitle.js';
import { humanDuration, isValidDate } from './slackDate.js';
import { mrkdwnText, plural } from './text.js';
import type { AlertGroupView, SlackMessage } from './types.js';

const MAX_TITLE_CHARS = 200;

/** "🔁 Still firing after 12 hours: 3 alerts". */
export function renderRepeatReply(group: AlertGroupView, firstFiredAt: Date, now: Date): SlackMessage {
  const title = mrkdwnText(groupTitle(group), MAX_TITLE_CHARS);
  const firing = group.alerts.filter((alert) => alert.status === 'firing').length;
  const after = isValidDate(firstFiredAt) ? ` after ${humanDuration(now.getTime() - firstFiredAt.getTime())}` : '';
  const count = plural(firing, 'alert');
  return { text: `🔁 Still firing${after}: ${title} (${count})`, blocks: [sectionBlock(`🔁 *Still firing*${after}: ${title} (${count})`)] };
}
