// Writes a Slack "Silence" back to the Alertmanager the alerts came from, through its API v2
// (prometheus/alertmanager api/v2/openapi.yaml: `POST /api/v2/silences` with a postableSilence,
// answered 200 `{ "silenceID": "…" }` or 400 with a string body).
//
// Herald's own silence is what counts for the channel; this is a courtesy to the Alertmanager, so the
// function never throws: every failure comes back as a short reason Herald can show the person who
// pressed the button. Reasons and anything else that leaves this module never carry URL credentials.

/** Budget for the whole exchange: long enough for a busy Alertmanager, short enough to answer the person in Slack. */
export const DEFAULT_TIMEOUT_MS = 5000;

/** Reasons are shown in Slack next to the button; an error page must not become a wall of text. */
const MAX_REASON_LENGTH = 200;

/** Alertmanager's answers are a few bytes; more than this is not Alertmanager (a proxy's page, a stream). */
const MAX_BODY_BYTES = 64 * 1024;

export interface SilenceMatcher {
  name: string;
  value: string;
}

export interface SilenceRequest {
  /** The Alertmanager's externalURL as its webhook payload gives it; may carry a path prefix and a trailing slash. */
  externalUrl: string;
  /** Label equality matchers; Alertmanager requires at least one. */
  matchers: SilenceMatcher[];
  startsAt: Date;
  endsAt: Date;
  createdBy: string;
  comment: string;
}

export type SilenceResult = { ok: true; silenceId: string } | { ok: false; reason: string };

export interface SilenceOptions {
  /** Budget for connecting, sending and reading the answer. Default 5000 ms. */
  timeoutMs?: number;
  /** For tests; the global fetch otherwise. */
  fetch?: typeof fetch;
}

/** The matcher as postableSilence wants it: `isRegex` is required; `isEqual` defaults to true but older servers want it spelled out. */
interface PostableMatcher {
  name: string;
  value: string;
  isRegex: false;
  isEqual: true;
}

/** The JSON body of `POST /api/v2/silences` (postableSilence without `id`: a new silence, never an update). */
export interface PostableSilence {
  matchers: PostableMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

/**
 * Creates the silence. Refuses without a request what Alertmanager would refuse anyway (no matchers,
 * only matchers that match the empty string, an end not after the start) or what is not an
 * Alertmanager URL (anything but http and https).
 */
export async function createAlertmanagerSilence(request: SilenceRequest, options: SilenceOptions = {}): Promise<SilenceResult> {
  try {
    const target = silencesEndpoint(request.externalUrl);
    if (!target.ok) return target;
    const problem = requestProblem(request);
    if (problem) return failure(problem);
    return await post(target.url, target.authorization, postableSilence(request), options);
  } catch (error) {
    // Only a bug (or a fetch stand-in that throws synchronously) gets here; the promise still resolves.
    return failure(`could not create the silence: ${errorText(error)}`);
  }
}

/** The silence as Alertmanager's API takes it: ISO 8601 (RFC 3339) times, equality matchers. */
export function postableSilence(request: SilenceRequest): PostableSilence {
  return {
    matchers: request.matchers.map((m) => ({ name: m.name, value: m.value, isRegex: false, isEqual: true })),
    startsAt: request.startsAt.toISOString(),
    endsAt: request.endsAt.toISOString(),
    createdBy: request.createdBy,
    comment: request.comment,
  };
}

/** The URL as it may be logged or shown: no user name or password, no query or fragment. */
export function redactedUrl(externalUrl: string): string {
  try {
    const url = new URL(externalUrl);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return '(not a URL)';
  }
}

type Endpoint = { ok: true; url: URL; authorization: string | undefined } | { ok: false; reason: string };

/**
 * `{externalURL}/api/v2/silences`. Alertmanager serves its API under the path of its external URL
 * (--web.route-prefix defaults to it), so `http://am:9093/alertmanager/` means
 * `/alertmanager/api/v2/silences`. Credentials in the URL (a reverse proxy with basic auth) become an
 * Authorization header: fetch refuses URLs that carry them, and they must not reach a reason.
 */
function silencesEndpoint(externalUrl: string): Endpoint {
  let url: URL;
  try {
    url = new URL(externalUrl);
  } catch {
    // The text itself is not repeated: a malformed URL can still hold a password.
    return failure('the Alertmanager URL is not a valid URL');
  }
  // The scheme is not echoed either: 'user:pass@host' (no scheme) parses with 'user:' as one.
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return failure('the Alertmanager URL must start with http:// or https://');
  const authorization =
    url.username || url.password
      ? `Basic ${Buffer.from(`${percentDecoded(url.username)}:${percentDecoded(url.password)}`).toString('base64')}`
      : undefined;
  const endpoint = new URL(url.origin);
  endpoint.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v2/silences`;
  return { ok: true, url: endpoint, authorization };
}

/** URL userinfo is percent-encoded; a stray '%' that is not an escape is kept as typed. */
function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** What Alertmanager's validation (silence/silence.go validateSilence) would refuse, checked here to save a round trip. */
function requestProblem(request: SilenceRequest): string | null {
  if (request.matchers.length === 0) return 'a silence needs at least one matcher';
  if (request.matchers.some((m) => m.name === '')) return 'a matcher has no label name';
  // An equality matcher on "" matches every alert without the label: a silence of only those would mute everything.
  if (request.matchers.every((m) => m.value === '')) return 'at least one matcher must not match the empty string';
  const starts = request.startsAt.getTime();
  const ends = request.endsAt.getTime();
  if (Number.isNaN(starts) || Number.isNaN(ends)) return 'the silence has an invalid start or end time';
  if (ends <= starts) return 'the silence must end after it starts';
  return null;
}

async function post(url: URL, authorization: string | undefined, body: PostableSilence, options: SilenceOptions): Promise<SilenceResult> {
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // One signal for the whole exchange, so a server that sends headers and then stalls is cut off too.
  const signal = AbortSignal.timeout(timeoutMs);
  const where = url.host;
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(body),
      signal,
      // A redirect turns a POST into a GET (301/302) or replays credentials elsewhere; Alertmanager never redirects its API.
      redirect: 'manual',
    });
  } catch (error) {
    return failure(transportReason(error, where, timeoutMs));
  }

  let text: string;
  try {
    text = await readLimited(response, MAX_BODY_BYTES);
  } catch (error) {
    return failure(transportReason(error, where, timeoutMs));
  }

  if (response.status >= 300 && response.status < 400) {
    return failure(`Alertmanager answered ${response.status}, a redirect Herald does not follow`);
  }
  if (!response.ok) {
    const detail = errorDetail(text);
    return failure(`Alertmanager answered ${response.status}${detail ? `: ${detail}` : ''}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return failure(`Alertmanager answered ${response.status} with a body that is not JSON`);
  }
  const silenceId = typeof parsed === 'object' && parsed !== null ? (parsed as { silenceID?: unknown }).silenceID : undefined;
  if (typeof silenceId !== 'string' || silenceId === '') {
    return failure(`Alertmanager answered ${response.status} without a silenceID`);
  }
  return { ok: true, silenceId };
}

/** The body as text, at most `maxBytes` (the rest is dropped and the stream cancelled). */
async function readLimited(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= maxBytes) {
      await reader.cancel().catch(() => {});
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}

/**
 * Alertmanager's 400 body is a JSON string ("Failed to create silence: …"), some versions and
 * proxies answer plain text or `{ "error": … }`; whichever it is, one line of it.
 */
function errorDetail(text: string): string {
  let detail = text;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'string') detail = parsed;
    else if (typeof parsed === 'object' && parsed !== null) {
      const fields = parsed as { error?: unknown; message?: unknown };
      const field = typeof fields.error === 'string' ? fields.error : typeof fields.message === 'string' ? fields.message : undefined;
      if (field !== undefined) detail = field;
    }
  } catch {
    // Plain text, or an HTML error page: shown as it is, squeezed onto one line.
  }
  return detail.replace(/\s+/g, ' ').trim();
}

function transportReason(error: unknown, where: string, timeoutMs: number): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return `Alertmanager at ${where} did not answer within ${formatMs(timeoutMs)}`;
  // undici reports "fetch failed" and puts the useful part (ECONNREFUSED, ENOTFOUND, …) in `cause`.
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : errorText(error);
  return `could not reach Alertmanager at ${where} (${code})`;
}

function formatMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Any `scheme://user:pass@` that slipped into a message (an error, an echoed body) loses its credentials. */
function withoutUserinfo(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/gi, '$1');
}

function failure(reason: string): { ok: false; reason: string } {
  const clean = withoutUserinfo(reason);
  return { ok: false, reason: clean.length > MAX_REASON_LENGTH ? `${clean.slice(0, MAX_REASON_LENGTH - 1)}…` : clean };
}
