// Dates and durations as people read them in Slack.

/**
 * A date every reader sees in their own time zone: Slack's `<!date^…>` syntax, with a UTC fallback
 * for clients that cannot format it. docs.slack.dev/messaging/formatting-message-text#date-formatting
 * Example: `<!date^1714564800^{date_short_pretty} {time}|2024-05-01 12:00 UTC>`.
 */
export function slackDate(date: Date): string {
  const seconds = Math.floor(date.getTime() / 1000);
  return `<!date^${seconds}^{date_short_pretty} {time}|${utcFallback(date)}>`;
}

/** "2024-05-01 12:00 UTC": for notifications and the fallback inside `<!date>`. */
export function utcFallback(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "less than a minute", "42 minutes", "3 hours 5 minutes", "2 days 4 hours": the two largest units. */
export function humanDuration(milliseconds: number): string {
  const minutes = Math.floor(Math.max(0, milliseconds) / 60_000);
  if (minutes < 1) return 'less than a minute';
  const parts: [number, string][] = [
    [Math.floor(minutes / 1440), 'day'],
    [Math.floor(minutes / 60) % 24, 'hour'],
    [minutes % 60, 'minute'],
  ];
  const firstNonZero = parts.findIndex(([count]) => count > 0);
  return parts
    .slice(firstNonZero, firstNonZero + 2)
    .filter(([count]) => count > 0)
    .map(([count, unit]) => `${count} ${unit}${count === 1 ? '' : 's'}`)
    .join(' ');
}

/** Invalid dates (a parser let `new Date('junk')` through) are treated as missing. */
export function isValidDate(date: Date | null | undefined): date is Date {
  return date instanceof Date && !Number.isNaN(date.getTime());
}
