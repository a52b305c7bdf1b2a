// Labels as a two-column grid of fields.
import type { SectionBlock } from '@slack/web-api';
import type { Alert } from '../alerts/alert.js';
import { fieldsBlock } from './blocks.js';
import { MAX_SECTION_FIELD_TEXT, MAX_SECTION_FIELDS } from './limits.js';
import { mrkdwnText, plural } from './text.js';

/** A field wider than this stops being a grid cell; the full value is one click away at the source. */
const MAX_FIELD_CHARS = 500;
const MAX_LABEL_NAME_CHARS = 200;

/** Labels every alert has with the same value: for one alert, all of them. */
export function commonLabels(alerts: readonly Alert[]): Record<string, string> {
  const [first, ...rest] = alerts;
  if (!first) return {};
  return Object.fromEntries(
    Object.entries(first.labels).filter(([name, value]) => rest.every((alert) => alert.labels[name] === value)),
  );
}

/**
 * One field per label, `*name*` over its value, in at most `maxChars` of text. When there are more
 * than fit in a section, the last field says how many more there are.
 */
export function labelFields(labels: Record<string, string>, maxChars: number): SectionBlock | null {
  const entries = Object.entries(labels);
  if (entries.length === 0) return null;
  const shown = entries.length > MAX_SECTION_FIELDS ? entries.slice(0, MAX_SECTION_FIELDS - 1) : entries;
  const hidden = entries.length - shown.length;
  const moreField = hidden > 0 ? `_…and ${plural(hidden, 'more label')}_` : null;
  const perField = Math.min(MAX_FIELD_CHARS, MAX_SECTION_FIELD_TEXT, Math.floor((maxChars - (moreField?.length ?? 0)) / shown.length));
  // Below this a field would be all ellipsis; better to show no grid than a broken one.
  if (perField < 8) return null;
  const fields = shown.map(([name, value]) => labelField(name, value, perField));
  return fieldsBlock(moreField ? [...fields, moreField] : fields);
}

function labelField(name: string, value: string, maxChars: number): string {
  const shownName = mrkdwnText(name, Math.min(MAX_LABEL_NAME_CHARS, Math.floor(maxChars / 2)));
  // Slack rejects empty text; a label with an empty value still deserves its name shown.
  const shownValue = mrkdwnText(value, maxChars - shownName.length - 3) || '–';
  return `*${shownName}*\n${shownValue}`;
}
