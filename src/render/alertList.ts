// A group's alerts as a list, one line each, as many as fit, then "…and N more".
import type { KnownBlock } from '@slack/web-api';
import type { Alert } from '../alerts/alert.js';
import { contextBlock, sectionBlock, type LayoutBudget } from './blocks.js';
import { MAX_SECTION_TEXT } from './limits.js';
import { styleOf } from './severityStyle.js';
import { isValidDate, slackDate } from './slackDate.js';
import { cutEscapedMrkdwn, firstLine, mrkdwnText } from './text.js';

/** One line should read at a glance; the details are in the labels and links. */
const MAX_LINE_CHARS = 300;
const MAX_LABELS_PER_LINE = 4;
const MAX_LABEL_CHARS = 60;
/** Room kept for the closing "…and N more" line (its text is at most ~20 characters). */
const MORE_LINE_RESERVE = 40;

export interface AlertListOptions {
  /** Labels every alert shares, already shown as fields; each line shows only the others. */
  commonLabelNames: ReadonlySet<string>;
  /** Whether titles differ between alerts (otherwise the header says it once). */
  showTitles: boolean;
  /** Whether each alert's own summary line is worth showing (texts differ between alerts). */
  showText: boolean;
}

/**
 * Alerts (already in display order) packed into sections of up to 3,000 characters, spending from
 * `budget`; if not all fit, a last line says how many were left out.
 */
export function alertListBlocks(alerts: readonly Alert[], options: AlertListOptions, budget: LayoutBudget): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  const spendSection = (text: string): void => {
    const block = sectionBlock(text);
    if (text !== '' && budget.spend(block)) blocks.push(block);
  };

  let pending = '';
  let listed = 0;
  for (const alert of alerts) {
    const line = alertLine(alert, options);
    let next = pending === '' ? line : `${pending}\n${line}`;
    if (next.length > MAX_SECTION_TEXT) {
      spendSection(pending);
      pending = '';
      next = line;
    }
    // The pending section plus the closing line must still fit what is left.
    if (next.length + MORE_LINE_RESERVE > budget.chars || budget.blocks < 2) break;
    pending = next;
    listed += 1;
  }
  spendSection(pending);

  const more = alerts.length - listed;
  if (more > 0) {
    const moreLine = contextBlock([`…and ${more} more`]);
    if (budget.spend(moreLine)) blocks.push(moreLine);
  }
  return blocks;
}

/** "🔴 *Title* · instance=web-1, pod=api-7 · Summary · since <date>": the date kept whole, the rest cut. */
function alertLine(alert: Alert, options: AlertListOptions): string {
  const { emoji } = styleOf(alert.severity, alert.status);
  const when = whenText(alert);
  const parts = [
    options.showTitles ? `*${mrkdwnText(alert.title, 100)}*` : '',
    distinguishingLabels(alert, options.commonLabelNames),
    options.showText ? mrkdwnText(firstLine(alert.text), 120) : '',
  ].filter((part) => part !== '');
  const description = parts.join(' · ') || mrkdwnText(alert.fingerprint, 60);
  const room = MAX_LINE_CHARS - emoji.length - 1 - (when ? when.length + 3 : 0);
  return `${emoji} ${cutEscapedMrkdwn(description, room)}${when ? ` · ${when}` : ''}`;
}

function distinguishingLabels(alert: Alert, common: ReadonlySet<string>): string {
  return Object.entries(alert.labels)
    .filter(([name]) => !common.has(name) && name !== 'alertname' && name !== 'severity')
    .slice(0, MAX_LABELS_PER_LINE)
    .map(([name, value]) => mrkdwnText(`${name}=${value}`, MAX_LABEL_CHARS))
    .join(', ');
}

function whenText(alert: Alert): string {
  if (alert.status === 'resolved' && isValidDate(alert.endsAt)) return `resolved ${slackDate(alert.endsAt)}`;
  if (isValidDate(alert.startsAt)) return `since ${slackDate(alert.startsAt)}`;
  return '';
}
