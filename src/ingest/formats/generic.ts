// `POST /alerts/generic`: Herald's own JSON, documented in src/ingest/generic.schema.json. It is
// meant to be filled by payload templates (W&B webhook automations and the like), so it is lenient
// where templates produce strings: numbers and booleans are read as text, "" means "not set"
// (a W&B variable such as ${alias} is "" when it does not apply), and times may be Unix epochs.
// It is strict where a mistake would go unnoticed: unknown fields, an unknown status or severity,
// a blank title and a link that is not an absolute http(s) URL are refused.
//
// A body is one alert, or `{ "alerts": [ … ] }` for several.
//
// Beyond the fields themselves:
// - labels and annotations whose value is "" are left out (as Prometheus treats empty labels);
// - `alertname` is added to the labels (the title) and `source` too (when given), unless present;
// - fingerprint: the given one, else the fingerprint of the labels (after the two additions);
// - group key: the given `group`, else a hash of the title (see groupKeyFor).

import { z } from 'zod';
import type { Alert, ParsedPayload } from '../../alerts/alert.js';
import { groupKeyFor, labelsFingerprint } from '../../alerts/fingerprint.js';
import { isAbsoluteHttpUrl } from './shared/links.js';
import { alertList, alertStatus, labelValue, scalarAsString } from './shared/schemas.js';
import { DEFAULT_SEVERITY, severityFromWord } from './shared/severity.js';
import { firstLine } from './shared/text.js';
import { TIMESTAMP_MESSAGE, alertTimes, readTimestamp } from './shared/times.js';
import { validateBody } from './shared/validate.js';

/** Text a template may write as a string, number or boolean; null and missing are "". */
const text = scalarAsString(z.string().nullish()).transform((value) => value ?? '');

/** "" (an unset template variable) and null mean the field was not given. */
function blankAsMissing<Schema extends z.ZodType>(schema: Schema) {
  return z.preprocess((value) => (value === '' || value === null ? undefined : value), schema.optional());
}

const values = z
  .record(z.string(), scalarAsString(labelValue))
  .nullish()
  .transform((map) => Object.fromEntries(Object.entries(map ?? {}).filter(([, value]) => value !== '')));

const severity = z.string().transform((word, ctx) => {
  const known = severityFromWord(word);
  if (known !== undefined) return known;
  ctx.addIssue({ code: 'custom', message: 'must be "info", "warning", "error" or "critical" (or a synonym such as "high" or "p1")', input: word });
  return z.NEVER;
});

/** RFC 3339, or a Unix time in seconds (milliseconds from 10^12 on, i.e. any date after 2001), as a number or a string. */
const time = z
  .union([z.string(), z.number()], { error: TIMESTAMP_MESSAGE })
  .nullish()
  .transform((value, ctx): Date | null => {
    const date = readTime(value ?? '');
    if (date !== 'invalid') return date;
    ctx.addIssue({ code: 'custom', message: TIMESTAMP_MESSAGE, input: value });
    return z.NEVER;
  });

function readTime(value: string | number): Date | null | 'invalid' {
  const epoch = typeof value === 'number' ? value : /^\d+(\.\d+)?$/.test(value) ? Number(value) : undefined;
  if (epoch === undefined) return readTimestamp(value as string);
  const date = new Date(epoch >= 1e12 ? epoch : epoch * 1000);
  return Number.isNaN(date.getTime()) || epoch < 0 ? 'invalid' : date;
}

const link = z.strictObject({
  title: z.string().trim().min(1),
  url: z.string().refine((url) => url === '' || isAbsoluteHttpUrl(url), { message: 'expected an absolute http or https URL' }),
});

const genericAlert = z.strictObject({
  title: scalarAsString(z.string()).refine((title) => title.trim() !== '', { message: 'must not be empty' }),
  status: blankAsMissing(alertStatus),
  severity: blankAsMissing(severity),
  text,
  labels: values,
  annotations: values,
  // A link whose URL is "" (an unset variable) is left out.
  links: z
    .array(link)
    .nullish()
    .transform((links) => (links ?? []).filter((l) => l.url !== '')),
  fingerprint: text,
  group: text,
  startsAt: time,
  endsAt: time,
  source: text,
});
type GenericAlert = z.output<typeof genericAlert>;

const genericAlerts = z.strictObject({ alerts: alertList(genericAlert) });

export function parseGeneric(body: unknown, now: Date): ParsedPayload {
  const alerts = isAlertList(body) ? validateBody(genericAlerts, body).alerts : [validateBody(genericAlert, body)];
  return { alerts: alerts.map((alert) => alertFromGeneric(alert, now)), truncatedAlerts: 0, externalURL: null };
}

function isAlertList(body: unknown): boolean {
  return typeof body === 'object' && body !== null && Object.hasOwn(body, 'alerts');
}

function alertFromGeneric(alert: GenericAlert, now: Date): Alert {
  const title = firstLine(alert.title);
  const status = alert.status ?? 'firing';
  const labels = { alertname: title, ...(alert.source !== '' && { source: alert.source }), ...alert.labels };
  return {
    source: 'generic',
    status,
    severity: alert.severity ?? DEFAULT_SEVERITY,
    title,
    text: alert.text,
    labels,
    annotations: alert.annotations,
    links: alert.links,
    ...alertTimes(status, alert, now),
    fingerprint: alert.fingerprint.trim() !== '' ? alert.fingerprint : labelsFingerprint(labels),
    groupKey: groupKeyFor({ groupKey: alert.group, title }),
  };
}
