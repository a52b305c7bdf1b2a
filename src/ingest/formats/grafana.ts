// `POST /alerts/grafana`: Grafana's unified-alerting webhook contact point. It is the Alertmanager
// model (shared/alertmanagerModel.ts) plus a rendered `title`/`message`, the legacy `state`, the
// `orgId`, and per alert the query `values`/`valueString` and Grafana's own URLs.
//
// Reference: Grafana's "Configure the webhook notifier for Alerting" documentation.

import { z } from 'zod';
import type { ParsedPayload } from '../../alerts/alert.js';
import { alertFromAlertmanagerModel, payloadContext, alertmanagerAlert, alertmanagerPayload } from './shared/alertmanagerModel.js';
import { alertList, optionalLabelValue, optionalString } from './shared/schemas.js';
import { validateBody } from './shared/validate.js';

const grafanaAlert = alertmanagerAlert.extend({
  dashboardURL: optionalString,
  panelURL: optionalString,
  silenceURL: optionalString,
  imageURL: optionalLabelValue,
  // Query results by refId, e.g. { "B": 44.2, "C": 1 }; null when a query had no value.
  values: z.record(z.string(), z.number().nullable()).nullish(),
  valueString: optionalLabelValue,
});
type GrafanaAlert = z.output<typeof grafanaAlert>;

const grafanaPayload = alertmanagerPayload.extend({
  // Rendered for the whole group by Grafana's templates; each alert carries its own texts.
  title: optionalString,
  message: optionalString,
  state: optionalString,
  orgId: z.number().int().nullish(),
  alerts: alertList(grafanaAlert),
});

export function parseGrafana(body: unknown, now: Date): ParsedPayload {
  const payload = validateBody(grafanaPayload, body);
  const context = payloadContext('grafana', payload, now);
  return {
    alerts: payload.alerts.map((alert) =>
      alertFromAlertmanagerModel({ ...alert, annotations: withGrafanaExtras(alert) }, context, [
        ['Dashboard', alert.dashboardURL],
        ['Panel', alert.panelURL],
        ['Silence', alert.silenceURL],
      ]),
    ),
    truncatedAlerts: payload.truncatedAlerts,
    externalURL: payload.externalURL || null,
  };
}

/**
 * Keeps what Grafana sends beside the annotations where the renderer can show it, without
 * overwriting an annotation of the same name: `values` ("B=44.2, C=1", else Grafana's
 * `valueString`) and `image_url` (the screenshot of the panel).
 */
function withGrafanaExtras(alert: GrafanaAlert): Record<string, string> {
  const annotations = { ...alert.annotations };
  const values = alert.values
    ? Object.entries(alert.values)
        .map(([refId, value]) => `${refId}=${value ?? 'null'}`)
        .join(', ')
    : alert.valueString;
  if (values !== '' && !Object.hasOwn(annotations, 'values')) annotations.values = values;
  if (alert.imageURL !== '' && !Object.hasOwn(annotations, 'image_url')) annotations.image_url = alert.imageURL;
  return annotations;
}
