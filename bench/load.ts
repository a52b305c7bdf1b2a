// The closed-loop load generator for peak rows and bulk sends: autocannon, driven from this
// process, with a new body for every request (setupRequest) over a fixed number of connections.
// (Fixed-rate rows use paced.ts.)
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  headers?: Record<string, string>;
  /** The next request's body and how many alerts it carries. */
  body: () => string;
  alertsPerRequest: number;
  connections: number;
  /** Run this long (seconds)… */
  seconds?: number;
  /** …or send this many requests. */
  amount?: number;
  /** With `amount`: stop after this long even if not all were sent. */
  maxSeconds?: number;
}

export interface LoadResult {
  seconds: number;
  requests: number;
  /** Requests answered 2xx. */
  ok: number;
  requestsPerSecond: number;
  /** Alerts in requests answered 2xx, per second. */
  alertsPerSecond: number;
  /** Milliseconds, 2xx answers only (autocannon's resolution is 1 ms). */
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

function options(spec: LoadSpec): autocannon.Options {
  return {
    url: spec.url,
    method: 'POST',
    connections: spec.connections,
    ...(spec.amount === undefined ? { duration: spec.seconds ?? 10 } : { amount: spec.amount }),
    timeout: 60,
    headers: { 'content-type': 'application/json', ...spec.headers },
    requests: [{ setupRequest: (request) => ({ ...request, body: spec.body() }) }],
  };
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const instance = autocannon(options(spec), (error, result) => {
      clearTimeout(timer);
      if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve(result);
    });
    if (spec.maxSeconds !== undefined) timer = setTimeout(() => instance.stop(), spec.maxSeconds * 1000);
  });
  const seconds = (result.finish.getTime() - result.start.getTime()) / 1000;
  const ok = result['2xx'];
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, stat.count ?? 0]));
  return {
    seconds,
    requests: result.requests.sent,
    ok,
    requestsPerSecond: ok / seconds,
    alertsPerSecond: (ok * spec.alertsPerRequest) / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
  };
}
