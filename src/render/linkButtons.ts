// Links the alerts came with (source, dashboard, runbook, silence) as URL buttons.
import type { ActionsBlock, Button } from '@slack/web-api';
import type { Alert } from '../alerts/alert.js';
import { LINK_ACTION_ID_PREFIX } from './actionValues.js';
import { MAX_BUTTON_TEXT, MAX_BUTTON_URL } from './limits.js';
import { plainText } from './text.js';

/** More than a handful of link buttons is noise; the first alerts' links matter most. */
const MAX_LINK_BUTTONS = 5;

/**
 * Distinct links of the alerts, in the order given (most important alert first), as one actions
 * block whose text (labels and URLs) takes at most `maxChars`. Null when there are none.
 * URLs Slack would reject (not http(s), longer than its limit) are left out: a URL cannot be cut.
 */
export function linkButtons(alerts: readonly Alert[], maxChars: number): ActionsBlock | null {
  const buttons: Button[] = [];
  const seen = new Set<string>();
  let chars = 0;
  for (const link of alerts.flatMap((alert) => alert.links)) {
    if (buttons.length === MAX_LINK_BUTTONS) break;
    if (seen.has(link.url) || !isUsableUrl(link.url)) continue;
    const button = linkButton(link.title, link.url, buttons.length);
    const size = button.text.text.length + link.url.length + (button.action_id?.length ?? 0);
    if (chars + size > maxChars) break;
    seen.add(link.url);
    buttons.push(button);
    chars += size;
  }
  return buttons.length > 0 ? { type: 'actions', elements: buttons } : null;
}

function linkButton(title: string, url: string, index: number): Button {
  return {
    type: 'button',
    action_id: `${LINK_ACTION_ID_PREFIX}${index}`,
    text: { type: 'plain_text', text: plainText(title, MAX_BUTTON_TEXT) || 'Open link', emoji: true },
    url,
  };
}

function isUsableUrl(url: string): boolean {
  if (url.length > MAX_BUTTON_URL) return false;
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
