// Links become Slack buttons, and Slack refuses a whole message over one button whose URL is not
// absolute. So senders' links are kept only when they are absolute http(s) URLs; the rest (e.g.
// KubeSphere's relative generatorURL "/graph?…") are dropped here, not at delivery time.

import type { AlertLink } from '../../../alerts/alert.js';

export function isAbsoluteHttpUrl(text: string): boolean {
  if (!/^https?:\/\//i.test(text)) return false;
  return URL.canParse(text);
}

/**
 * Builds the links of an alert from `[title, url]` candidates in order of preference: blank or
 * non-http(s) URLs are skipped, and the first link of each title and of each URL wins.
 */
export function collectLinks(candidates: ReadonlyArray<readonly [title: string, url: string | undefined]>): AlertLink[] {
  const links: AlertLink[] = [];
  for (const [title, url] of candidates) {
    if (url === undefined || !isAbsoluteHttpUrl(url)) continue;
    if (links.some((link) => link.title === title || link.url === url)) continue;
    links.push({ title, url });
  }
  return links;
}
