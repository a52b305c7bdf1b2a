// Free-text senders (Slack webhooks) say "resolved" in words; these helpers read that.

/** "resolved" or "recovered" as a word anywhere in the text. */
export function saysResolved(text: string): boolean {
  return /\b(resolved|recovered)\b/i.test(text);
}

// Leading markers that only say the state: emoji (🔥, ✅, :white_check_mark:), "[FIRING:2]",
// "[RESOLVED]", "Resolved:", "Firing -"…
const LEADING_STATUS_MARKERS =
  /^(?:\s*(?::[a-z0-9_+-]+:|\p{Extended_Pictographic}\uFE0F?))*\s*(?:\[(?:firing|resolved|recovered|triggered|alerting|ok)(?::\s*\d+)?\]|(?:firing|resolved|recovered|triggered|alerting)\s*[:\-–—]\s*)?\s*/iu;

/**
 * The title without a leading state marker, so that "🔥 Firing: disk full" and "✅ Resolved: disk
 * full" name the same alert (same fingerprint, same group). Never returns an empty string.
 */
export function withoutStatusMarker(title: string): string {
  const stripped = title.replace(LEADING_STATUS_MARKERS, '').trim();
  return stripped === '' ? title : stripped;
}
