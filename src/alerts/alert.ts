// The normalized alert: what every ingest format is parsed into, and what routing, grouping,
// rendering and delivery work on. Plain data, no behaviour.

export const SEVERITIES = ['info', 'warning', 'error', 'critical'] as const;
/** Ordered from least to most severe; `severity>=error` filters compare by this order. */
export type Severity = (typeof SEVERITIES)[number];

export const ALERT_FORMATS = ['alertmanager', 'grafana', 'slack', 'generic'] as const;
/** The `{format}` of `POST /alerts/{format}`. KubeSphere posts the `alertmanager` format. */
export type AlertFormat = (typeof ALERT_FORMATS)[number];

export type AlertStatus = 'firing' | 'resolved';

export interface AlertLink {
  /** Button text, e.g. "Source", "Dashboard", "Runbook", "Silence". */
  title: string;
  url: string;
}

export interface Alert {
  source: AlertFormat;
  status: AlertStatus;
  severity: Severity;
  /** One line, e.g. the alertname or the sender's title. */
  title: string;
  /** Free text (summary/description/message); may be empty. */
  text: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  links: AlertLink[];
  startsAt: Date | null;
  endsAt: Date | null;
  /** Identifies one alert across notifications: the sender's, or a hash of the sorted labels. */
  fingerprint: string;
  /** Identifies the sender's group (Alertmanager's groupKey); alerts of one payload share it. */
  groupKey: string;
  /** For the `slack` format: the Block Kit blocks and attachments the sender wrote, kept as sent. */
  slack?: { blocks?: unknown[]; attachments?: unknown[] };
}

/** What a parser returns for one request body. */
export interface ParsedPayload {
  alerts: Alert[];
  /** Alertmanager's `truncatedAlerts`: alerts the sender left out of this payload. */
  truncatedAlerts: number;
  /** Alertmanager's/Grafana's `externalURL`, where silences can be written back. */
  externalURL: string | null;
}
