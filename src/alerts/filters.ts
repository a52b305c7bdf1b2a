// Channel filters: which alerts a channel takes. Typed after `/herald add #channel`, e.g.
// `severity>=error team=~"db|cache" env!=staging`: an optional lowest severity plus Alertmanager
// label matchers, all of which must hold. No filters: the channel takes every alert.
import { SEVERITIES, type Alert, type Severity } from './alert.js';
import { formatMatcher, matchesAll, parseMatcher, type Matcher } from './matchers.js';
import { memoize } from './memoize.js';
import { parsed, refused, type ParseResult } from './parseResult.js';
import { isWhitespace, splitOutsideQuotes } from './quotedText.js';

export interface ChannelFilters {
  /** Alerts below this severity are left out; null takes every severity. */
  minSeverity: Severity | null;
  matchers: Matcher[];
}

const SEVERITY_COMPARISON = /^severity\s*(>=|=>|>|<=|<)\s*(.*)$/i;
const LEVELS = `${SEVERITIES.slice(0, -1).join(', ')} or ${SEVERITIES.at(-1)}`;

/** Filters are separated by spaces or commas (outside quotes). */
export function parseChannelFilters(text: string): ParseResult<ChannelFilters> {
  const pieces = splitOutsideQuotes(text, (char) => char === ',' || isWhitespace(char));
  if (!pieces.ok) return pieces;
  const filters: ChannelFilters = { minSeverity: null, matchers: [] };
  for (const piece of pieces.value) {
    const comparison = SEVERITY_COMPARISON.exec(piece);
    if (comparison) {
      const level = severityFilter(piece, comparison[1] ?? '', comparison[2] ?? '');
      if (!level.ok) return level;
      if (filters.minSeverity !== null) return refused('severity>= is given twice: keep one');
      filters.minSeverity = level.value;
      continue;
    }
    const matcher = parseMatcher(piece);
    if (!matcher.ok) return matcher;
    filters.matchers.push(matcher.value);
  }
  return parsed(filters);
}

function severityFilter(piece: string, operator: string, level: string): ParseResult<Severity> {
  if (operator !== '>=') return refused(`"${piece}" is not a filter Herald knows: use severity>=LEVEL (${LEVELS})`);
  const severity = SEVERITIES.find((s) => s === level.toLowerCase());
  if (!severity) return refused(`unknown severity "${level}" in ${piece}: use ${LEVELS}`);
  return parsed(severity);
}

export function acceptsAlert(filters: ChannelFilters, alert: Pick<Alert, 'severity' | 'labels'>): boolean {
  if (filters.minSeverity !== null && SEVERITIES.indexOf(alert.severity) < SEVERITIES.indexOf(filters.minSeverity)) return false;
  return matchesAll(filters.matchers, alert.labels);
}

// Stored filters were validated when they were saved. Should one not parse any more (edited in the
// database by hand), the channel takes every alert: a surplus alert is better than a lost one.
const storedFilters = memoize((text: string): ChannelFilters => {
  const result = parseChannelFilters(text);
  return result.ok ? result.value : { minSeverity: null, matchers: [] };
});

/** Whether a channel whose stored filters are `filters` (Channel.filters) takes the alert. Delivery calls this. */
export function channelAccepts(filters: string, alert: Pick<Alert, 'severity' | 'labels'>): boolean {
  return acceptsAlert(storedFilters(filters), alert);
}

/** `severity>=error team=~"db|cache"`, or empty for no filters. */
export function formatChannelFilters(filters: ChannelFilters): string {
  const severity = filters.minSeverity ? [`severity>=${filters.minSeverity}`] : [];
  return [...severity, ...filters.matchers.map(formatMatcher)].join(' ');
}
