// The Alertmanager webhook model (payload version 4), which KubeSphere's notification-manager and
// Grafana's webhook contact point also send: the schema of its fields and how one of its alerts
// becomes a Herald alert. The `alertmanager` and `grafana` parsers build on this file.
//
// Reference: prometheus/alertmanager notify/webhook/webhook.go (Message) and template/template.go
// (Data, Alert). Go writes nil maps as `null` and KubeSphere leaves the top-level status "", so
// those are accepted; unknown fields are ignored, as newer senders add some.

import { z } from 'zod';
import type { Alert, AlertFormat, AlertLink } from '../../../alerts/alert.js';
import { groupKeyFor, labelsFingerprint } from '../../../alerts/fingerprint.js';
import { collectLinks } from './links.js';
import { alertList, alertStatus, optionalString, stringMap } from './schemas.js';
import { DEFAULT_SEVERITY, severityFromWord } from './severity.js';
import { firstLine, firstNonBlank } from './text.js';
import { alertTimes, timestamp } from './times.js';

/** One alert of `alerts[]`. */
export const alertmanagerAlert = z.object({
  status: alertStatus,
  labels: stringMap,
  annotations: stringMap,
  startsAt: timestamp,
  endsAt: timestamp,
  generatorURL: optionalString,
  fingerprint: optionalString,
});
export type AlertmanagerAlert = z.output<typeof alertmanagerAlert>;

/** The whole payload. */
export const alertmanagerPayload = z.object({
  version: optionalString,
  groupKey: optionalString,
  truncatedAlerts: z
    .number()
    .int()
    .min(0)
    .nullish()
    .transform((count) => count ?? 0),
  // The group's status is derived from its alerts, which carry their own; KubeSphere sends "".
  status: optionalString,
  receiver: optionalString,
  groupLabels: stringMap,
  commonLabels: stringMap,
  commonAnnotations: stringMap,
  externalURL: optionalString,
  alerts: alertList(alertmanagerAlert),
});

/** What every alert of one payload shares. */
export interface PayloadContext {
  source: AlertFormat;
  groupKey: string;
  now: Date;
}

/** The context of an Alertmanager-model payload: the sender's group key, else its group labels. */
export function payloadContext(
  source: AlertFormat,
  payload: { groupKey?: string | null; groupLabels: Record<string, string> },
  now: Date,
): PayloadContext {
  return { source, groupKey: groupKeyFor({ groupKey: payload.groupKey, groupLabels: payload.groupLabels, title: '' }), now };
}

/**
 * Maps one Alertmanager-model alert. `extraLinks` come first (Grafana's own URLs); then Source
 * (generatorURL), Runbook (`runbook_url`) and Dashboard (`dashboard_url`, else `grafana_url`).
 */
export function alertFromAlertmanagerModel(
  alert: AlertmanagerAlert,
  context: PayloadContext,
  extraLinks: ReadonlyArray<readonly [string, string | undefined]> = [],
): Alert {
  const { labels, annotations } = alert;
  const title = firstLine(firstNonBlank(annotations.summary, annotations.title, labels.alertname) ?? '') || 'Untitled alert';
  const text = firstNonBlank(annotations.description, annotations.message, annotations.summary) ?? '';
  const links: AlertLink[] = collectLinks([
    ...extraLinks,
    ['Source', alert.generatorURL],
    ['Runbook', annotations.runbook_url],
    ['Dashboard', annotations.dashboard_url],
    ['Dashboard', annotations.grafana_url],
  ]);
  return {
    source: context.source,
    status: alert.status,
    severity: severityFromWord(labels.severity) ?? DEFAULT_SEVERITY,
    title,
    // A summary used as the title is not repeated as the text.
    text: text === title ? '' : text,
    labels,
    annotations,
    links,
    ...alertTimes(alert.status, alert, context.now),
    fingerprint: alert.fingerprint.trim() !== '' ? alert.fingerprint : labelsFingerprint(labels),
    groupKey: context.groupKey,
  };
}
