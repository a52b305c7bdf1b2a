// Reading Web API arguments. Slack takes form bodies (every value a string, complex values JSON-encoded,
// which is what WebClient sends) and JSON bodies (real types), so each reader accepts both forms.
import type { WebApiBody } from './types.js';

export type Args = Record<string, unknown>;

/** Thrown by method handlers to answer `{ ok: false, error, ...extra }`; the dispatcher turns it into the reply. */
export class SlackApiError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Record<string, unknown> = {},
    readonly status = 200,
    readonly headers: Record<string, string> = {},
  ) {
    super(code);
  }

  get body(): WebApiBody {
    return { ok: false, error: this.code, ...this.extra };
  }
}

export function fail(code: string, extra?: Record<string, unknown>): never {
  throw new SlackApiError(code, extra);
}

export function stringArg(args: Args, name: string): string | undefined {
  const value = args[name];
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

export function requiredString(args: Args, name: string, errorWhenMissing = 'invalid_arguments'): string {
  return stringArg(args, name) ?? fail(errorWhenMissing);
}

export function boolArg(args: Args, name: string): boolean {
  const value = args[name];
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** A JSON argument: decoded from a string (form bodies) or taken as is (JSON bodies); `undefined` when absent. */
export function jsonArg(args: Args, name: string, errorWhenInvalid: string): unknown {
  const value = args[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return fail(errorWhenInvalid);
  }
}

const JSON_ENCODED_ARGS = ['blocks', 'attachments', 'view', 'metadata', 'user_auth_blocks'];

/** Arguments for the call record: token removed, JSON-encoded fields decoded when they parse. */
export function argsForRecord(args: Args): Args {
  const recorded: Args = { ...args };
  delete recorded.token;
  for (const name of JSON_ENCODED_ARGS) {
    const value = recorded[name];
    if (typeof value !== 'string') continue;
    try {
      recorded[name] = JSON.parse(value) as unknown;
    } catch {
      // Left as the string that was sent; the handler reports it as invalid.
    }
  }
  return recorded;
}
