// Herald's own body of an alert message: what is wrong (text), where (labels), and, for a group
// of several alerts, which ones.
import type { KnownBlock } from '@slack/web-api';
import type { Alert } from '../alerts/alert.js';
import { alertListBlocks } from './alertList.js';
import { sectionBlock, type LayoutBudget } from './blocks.js';
import { commonLabels, labelFields } from './labelFields.js';
import { MAX_SECTION_TEXT } from './limits.js';
import { mrkdwnText } from './text.js';

export interface BodyOptions {
  /** The group's title, as in the header; labels that only repeat it are not shown again. */
  title: string;
  groupLabels: Record<string, string>;
  /** Longest description; the rest of the budget goes to labels and the alert list. */
  maxDescriptionChars: number;
}

/** Labels shown elsewhere: severity in the status line; alertname and group labels in the title. */
const ALWAYS_HIDDEN_LABELS = new Set(['severity']);

/** `alerts` in display order. Spends from `budget`; what does not fit is left out, never cut mid-markup. */
export function alertBody(alerts: readonly Alert[], options: BodyOptions, budget: LayoutBudget): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  const add = (block: KnownBlock | null) => {
    if (block && budget.spend(block)) blocks.push(block);
  };

  // Text shared by every alert (always, for a single alert) reads as the group's description.
  const texts = new Set(alerts.map((alert) => alert.text.trim()));
  const sharedText = texts.size === 1 ? ([...texts][0] as string) : '';
  const description = mrkdwnText(sharedText, Math.min(MAX_SECTION_TEXT, options.maxDescriptionChars, budget.chars));
  if (description !== '') add(sectionBlock(description));

  const shared = commonLabels(alerts);
  const fieldLabels = Object.fromEntries(Object.entries(shared).filter(([name, value]) => !isShownElsewhere(name, value, options)));
  // Half of what is left, so a list of many alerts still has room below the grid.
  const fieldsShare = alerts.length > 1 ? Math.floor(budget.chars / 2) : budget.chars;
  add(labelFields(fieldLabels, fieldsShare));

  if (alerts.length > 1) {
    const titles = new Set(alerts.map((alert) => alert.title));
    blocks.push(
      ...alertListBlocks(
        alerts,
        { commonLabelNames: new Set(Object.keys(shared)), showTitles: titles.size > 1, showText: texts.size > 1 },
        budget,
      ),
    );
  }
  return blocks;
}

function isShownElsewhere(name: string, value: string, options: BodyOptions): boolean {
  if (ALWAYS_HIDDEN_LABELS.has(name)) return true;
  const inTitle = options.title === value || options.title.split(' · ').includes(value);
  return inTitle && (name === 'alertname' || name in options.groupLabels);
}
