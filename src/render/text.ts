// Text helpers shared by the renderer: escaping alert data for mrkdwn and cutting long text to a
// limit without breaking a character.

export const ELLIPSIS = '…';

/** Grapheme clusters, so a cut never splits an emoji sequence (👨‍👩‍👧, flags) or a letter from its accent. */
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** How far past the cut we let the segmenter look, so the cluster that straddles the cut is seen whole. */
const LOOKAHEAD = 64;

/**
 * `text` if it fits in `maxLength` UTF-16 code units (what `string.length` and Slack's limits count),
 * otherwise its longest whole-character prefix followed by "…", together at most `maxLength`.
 */
export function cutText(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const room = maxLength - ELLIPSIS.length;
  if (room < 0) return '';
  let end = 0;
  for (const { segment } of graphemes.segment(text.slice(0, room + LOOKAHEAD))) {
    if (end + segment.length > room) break;
    end += segment.length;
  }
  // A single cluster longer than the lookahead (pathological combining marks) would leave a prefix
  // of one surrogate half at most; never end on a high surrogate.
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return text.slice(0, end) + ELLIPSIS;
}

/**
 * Slack reads `&`, `<` and `>` as control characters in mrkdwn (`<!channel>`, `<@U123>`, links), so
 * alert data must have them escaped, and only them. docs.slack.dev/messaging/formatting-message-text#escaping
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Alert data as mrkdwn: escaped, then cut to `maxLength` without leaving half an `&amp;` behind. */
export function mrkdwnText(raw: string, maxLength: number): string {
  return cutEscapedMrkdwn(escapeMrkdwn(raw), maxLength);
}

/** Cuts mrkdwn whose data is already escaped, dropping a trailing partial entity ("&am…" → "…"). */
export function cutEscapedMrkdwn(mrkdwn: string, maxLength: number): string {
  if (mrkdwn.length <= maxLength) return mrkdwn;
  return cutText(mrkdwn, maxLength).replace(/&[a-z]{0,3}…$/, ELLIPSIS);
}

/** Plain text for `plain_text` objects (headers, buttons): no escaping, newlines folded, cut to fit. */
export function plainText(raw: string, maxLength: number): string {
  return cutText(raw.replace(/\s+/g, ' ').trim(), maxLength);
}

/** The first line of `text`, for one-line summaries. */
export function firstLine(text: string): string {
  return text.trim().split('\n', 1)[0]?.trim() ?? '';
}

/** "1 alert", "3 alerts". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** Slack user ids look like U… or W…; anything else is shown as escaped text, never as markup. */
export function mentionUser(userId: string): string {
  return /^[UW][A-Z0-9]{2,20}$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(cutText(userId, 80));
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
