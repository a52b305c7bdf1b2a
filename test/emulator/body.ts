// Turning raw request bodies into argument objects without ever throwing: bad input is the caller's problem
// to report (invalid_arguments, 400), never a crash.
import type { Args } from './args.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses a form or JSON body by its content type; null when it cannot be read. An empty body is `{}`. */
export function parseBody(contentType: string | undefined, raw: Buffer | undefined): Args | null {
  const text = raw && raw.length > 0 ? raw.toString('utf8') : '';
  if (text === '') return {};
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json') {
    try {
      const parsed: unknown = JSON.parse(text);
      return isPlainObject(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }
  if (type === 'application/x-www-form-urlencoded' || type === '') {
    return Object.fromEntries(new URLSearchParams(text));
  }
  return null;
}

/**
 * A message posted by an app to a webhook or response_url: JSON, or a form whose `payload` field holds the
 * JSON (the older webhook style). Null when unreadable.
 */
export function parseMessagePayload(contentType: string | undefined, raw: Buffer | undefined): Args | null {
  const args = parseBody(contentType, raw);
  if (!args) return null;
  if (typeof args.payload !== 'string') return args;
  try {
    const parsed: unknown = JSON.parse(args.payload);
    return isPlainObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}
