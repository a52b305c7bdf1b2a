// The parsing layer of ingestion: one request body in a given format → normalized alerts.
// Pure: no HTTP, no database; the clock comes in as `now` (the time the body was received).

import type { AlertFormat, ParsedPayload } from '../alerts/alert.js';
import { parseAlertmanager } from './formats/alertmanager.js';
import { parseGeneric } from './formats/generic.js';
import { parseGrafana } from './formats/grafana.js';
import { parseSlack } from './formats/slack.js';

const PARSERS: Readonly<Record<AlertFormat, (body: unknown, now: Date) => ParsedPayload>> = {
  alertmanager: parseAlertmanager,
  grafana: parseGrafana,
  slack: parseSlack,
  generic: parseGeneric,
};

/**
 * Parses a JSON body (already `JSON.parse`d) sent to `POST /alerts/{format}`.
 * @throws PayloadError when the body is not a valid payload of that format; nothing else is thrown
 *   for any JSON value.
 */
export function parsePayload(format: AlertFormat, body: unknown, now: Date): ParsedPayload {
  return PARSERS[format](body, now);
}
