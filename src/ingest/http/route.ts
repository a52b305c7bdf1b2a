// The ingest URLs: POST /alerts/{format} and POST /alerts/{format}/{token}. The HTTP server sends
// every path under /alerts to the ingest handler, before Express sees it.
import { ALERT_FORMATS, type AlertFormat } from '../../alerts/alert.js';
import { refuse } from './refusal.js';

export const INGEST_PATH = '/alerts';

/** Whether a request URL belongs to the ingest handler (`/alerts`, `/alerts/…`, `/alerts?…`). */
export function isIngestPath(url: string | undefined): boolean {
  if (url === undefined || !url.startsWith(INGEST_PATH)) return false;
  const next = url.charAt(INGEST_PATH.length);
  return next === '' || next === '/' || next === '?';
}

export interface IngestRoute {
  format: AlertFormat;
  pathToken: string | undefined;
}

const FORMATS: ReadonlySet<string> = new Set(ALERT_FORMATS);

/** @throws Refusal 404 for a path that is not one of the two ingest URLs, or an unknown format. */
export function parseIngestRoute(url: string): IngestRoute {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  // ['', 'alerts', format, token?]; a trailing slash is forgiven.
  const segments = path.split('/');
  if (segments.at(-1) === '' && segments.length > 3) segments.pop();
  if (segments.length < 3 || segments.length > 4 || segments[2] === '') throw refuse.noRoute();
  const format = decode(segments[2] as string);
  if (format === undefined || !FORMATS.has(format)) throw refuse.unknownFormat(format ?? (segments[2] as string));
  const token = segments[3] === undefined ? undefined : decode(segments[3]);
  if (segments.length === 4 && (token === undefined || token === '')) throw refuse.noRoute();
  return { format: format as AlertFormat, pathToken: token };
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
