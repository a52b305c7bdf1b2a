// When an alert started and ended, as far as its sender says, with the same defaults everywhere.

import { z } from 'zod';
import type { AlertStatus } from '../../../alerts/alert.js';

// RFC 3339, as Go's time.Time and Grafana write it: any number of fraction digits, Z or an offset.
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
export const TIMESTAMP_MESSAGE = 'expected a date and time like 2024-05-01T12:00:00Z';

/**
 * Reads an RFC 3339 timestamp. "" and Go's zero time (`0001-01-01T00:00:00Z`, which Alertmanager
 * sends as the end of an alert that is still firing) mean "no time": null.
 */
export function readTimestamp(text: string): Date | null | 'invalid' {
  if (text === '') return null;
  if (!RFC3339.test(text)) return 'invalid';
  const date = new Date(text.replace(' ', 'T').toUpperCase());
  if (Number.isNaN(date.getTime())) return 'invalid';
  return date.getUTCFullYear() <= 1 ? null : date;
}

/** An RFC 3339 timestamp; null, missing, "" and the zero time give null. */
export const timestamp = z
  .string()
  .nullish()
  .transform((text, ctx): Date | null => {
    const date = readTimestamp(text ?? '');
    if (date !== 'invalid') return date;
    ctx.addIssue({ code: 'custom', message: TIMESTAMP_MESSAGE, input: text });
    return z.NEVER;
  });

/**
 * The times stored with an alert. A missing start is the moment Herald received the alert; a
 * resolved alert without an end ended then too. A firing alert has no end (Alertmanager's
 * "valid until" is not an end, and it sends the zero time for firing alerts anyway).
 */
export function alertTimes(
  status: AlertStatus,
  given: { startsAt: Date | null; endsAt: Date | null },
  now: Date,
): { startsAt: Date; endsAt: Date | null } {
  return {
    startsAt: given.startsAt ?? now,
    endsAt: status === 'resolved' ? (given.endsAt ?? now) : given.endsAt,
  };
}
