// Herald-side silences: while one is active, alerts all of its matchers match are not delivered.
// Matchers are Alertmanager's, stored as typed (`alertname=DiskFull,env=~prod.*`).
import type { Alert } from './alert.js';
import { matches, matchesAll, parseMatcherList, type Matcher } from './matchers.js';
import { memoize } from './memoize.js';
import { parsed, refused, type ParseResult } from './parseResult.js';

export interface SilenceWindow {
  matchers: string;
  startsAt: Date;
  endsAt: Date;
}

/**
 * Matchers for a new silence. As in Alertmanager, at least one matcher must not match the empty
 * string, so a typo cannot silence everything (`env=~.*` alone would).
 */
export function parseSilenceMatchers(text: string): ParseResult<Matcher[]> {
  const list = parseMatcherList(text);
  if (!list.ok) return list;
  if (list.value.length === 0) return refused('a silence needs at least one matcher, such as alertname=DiskFull');
  if (list.value.every((matcher) => matches(matcher, {}))) {
    return refused('these matchers would silence every alert: add one that needs a label, such as alertname=DiskFull');
  }
  return parsed(list.value);
}

// A stored silence that no longer parses silences nothing: an alert delivered is better than lost.
const storedMatchers = memoize((text: string): Matcher[] => {
  const result = parseSilenceMatchers(text);
  return result.ok ? result.value : [];
});

/** Whether the silence is active at `now` and matches the alert's labels. Delivery calls this. */
export function silenceCovers(silence: SilenceWindow, alert: Pick<Alert, 'labels'>, now: Date): boolean {
  if (now < silence.startsAt || now >= silence.endsAt) return false;
  const matchers = storedMatchers(silence.matchers);
  return matchers.length > 0 && matchesAll(matchers, alert.labels);
}
