// `POST /alerts/alertmanager`: Alertmanager's webhook payload (version 4), and KubeSphere's
// notification-manager, which sends the same model. The schema and the mapping of one alert live
// in shared/alertmanagerModel.ts, shared with the Grafana parser.

import type { ParsedPayload } from '../../alerts/alert.js';
import { alertFromAlertmanagerModel, payloadContext, alertmanagerPayload } from './shared/alertmanagerModel.js';
import { validateBody } from './shared/validate.js';

export function parseAlertmanager(body: unknown, now: Date): ParsedPayload {
  const payload = validateBody(alertmanagerPayload, body);
  const context = payloadContext('alertmanager', payload, now);
  return {
    alerts: payload.alerts.map((alert) => alertFromAlertmanagerModel(alert, context)),
    truncatedAlerts: payload.truncatedAlerts,
    externalURL: payload.externalURL || null,
  };
}
