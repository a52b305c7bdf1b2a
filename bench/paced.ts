// An open-loop load at a fixed rate, for the half-peak rows: request i is due at start + i/rate,
// evenly spaced, whether or not earlier ones were answered, and its latency counts from when it
// was due (waiting for a free connection counts, as it would for a real sender).
//
// Why not autocannon's overallRate: it splits the rate over the connections, and each connection
// sends its quota for the second back to back at the top of every second, so "half of the peak"
// is really the peak load half of the time; and its coordinated-omission correction assumes a 1 ms
// interval, which fills the histogram with made-up values. Both distort the p99 this row is for.
// Node's http client is too slow to pace thousands of requests a second on two busy cores, so this
// writes HTTP/1.1 on keep-alive sockets itself, as autocannon does.
import { connect, type Socket } from 'node:net';
import type { LoadResult } from './load.js';

export interface PacedSpec {
  url: string;
  headers?: Record<string, string>;
  body: () => string;
  alertsPerRequest: number;
  /** Requests per second. */
  rate: number;
  seconds: number;
  /** Connections at most; requests due while all are busy wait for one. */
  connections: number;
}

interface Connection {
  socket: Socket;
  busy: boolean;
  /** When the request in flight was due. */
  dueAt: number;
  buffer: Buffer;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** The status and the total length of the first complete response in `buffer`, or null if incomplete. */
function completeResponse(buffer: Buffer): { status: number; length: number } | null {
  const headerEnd = buffer.indexOf(HEADER_END);
  if (headerEnd < 0) return null;
  const head = buffer.subarray(0, headerEnd).toString('latin1');
  const status = Number(head.slice(9, 12));
  const contentLength = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (contentLength) {
    const length = headerEnd + 4 + Number(contentLength[1]);
    return buffer.length >= length ? { status, length } : null;
  }
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
    const end = buffer.indexOf('0\r\n\r\n', headerEnd + 4);
    return end < 0 ? null : { status, length: end + 5 };
  }
  return { status, length: headerEnd + 4 };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export async function runPaced(spec: PacedSpec): Promise<LoadResult> {
  const target = new URL(spec.url);
  const head = [`POST ${target.pathname}${target.search} HTTP/1.1`, `Host: ${target.host}`, 'Connection: keep-alive', 'Content-Type: application/json'];
  for (const [name, value] of Object.entries(spec.headers ?? {})) head.push(`${name}: ${value}`);
  const requestBuffer = (body: string) => {
    const bytes = Buffer.from(body);
    return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\nContent-Length: ${bytes.length}\r\n\r\n`), bytes]);
  };

  const total = Math.max(1, Math.round(spec.rate * spec.seconds));
  const interval = 1000 / spec.rate;
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  let due = 0; // requests whose time has come
  let started = 0; // requests written to a socket
  let finished = 0;
  const start = performance.now();
  let allDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allDone = resolve));

  const idle: Connection[] = [];
  const connections: Connection[] = [];
  const finish = () => {
    finished += 1;
    if (finished === total) allDone();
  };
  const dispatch = () => {
    while (started < due && idle.length > 0) {
      const connection = idle.pop() as Connection;
      connection.busy = true;
      connection.dueAt = start + started * interval;
      started += 1;
      connection.socket.write(requestBuffer(spec.body()));
    }
  };
  const open = (): Connection => {
    const socket = connect({ host: target.hostname, port: Number(target.port), noDelay: true });
    const connection: Connection = { socket, busy: false, dueAt: 0, buffer: Buffer.alloc(0) };
    connections.push(connection);
    socket.on('data', (chunk: Buffer) => {
      // Nothing asked on this connection: it is the server closing a connection that never sent a
      // request. (Node answers 408 to one that sent no header for headersTimeout, Herald's 10 s;
      // at half the peak, connections the load never needed do.) No request was answered.
      if (!connection.busy) return;
      connection.buffer = connection.buffer.length === 0 ? chunk : Buffer.concat([connection.buffer, chunk]);
      const response = completeResponse(connection.buffer);
      if (!response) return;
      connection.buffer = connection.buffer.subarray(response.length);
      const code = String(response.status);
      statusCodes[code] = (statusCodes[code] ?? 0) + 1;
      if (response.status >= 200 && response.status < 300) latencies.push(performance.now() - connection.dueAt);
      connection.busy = false;
      idle.push(connection);
      finish();
      dispatch();
    });
    let failed = false;
    const fail = () => {
      if (failed) return;
      failed = true;
      if (connection.busy) {
        errors += 1;
        finish();
      }
      connection.busy = false;
      const index = idle.indexOf(connection);
      if (index >= 0) idle.splice(index, 1);
      if (finished < total) setTimeout(() => idle.push(open()), 100).unref();
    };
    socket.once('error', fail);
    socket.once('close', fail);
    return connection;
  };
  for (let i = 0; i < spec.connections; i++) idle.push(open());

  const tick = () => {
    due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
    dispatch();
    if (due < total) setTimeout(tick, Math.max(0, start + due * interval - performance.now()));
  };
  tick();
  // Requests still unanswered a minute after the last was due count as timeouts.
  let timeouts = 0;
  const giveUp = setTimeout(() => {
    timeouts = total - finished;
    allDone();
  }, spec.seconds * 1000 + 60_000);
  await done;
  clearTimeout(giveUp);
  const seconds = (performance.now() - start) / 1000;
  for (const connection of connections) connection.socket.destroy();

  latencies.sort((a, b) => a - b);
  const ok = latencies.length;
  const answered = Object.values(statusCodes).reduce((sum, n) => sum + n, 0);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    seconds,
    requests: started,
    ok,
    requestsPerSecond: ok / seconds,
    alertsPerSecond: (ok * spec.alertsPerRequest) / seconds,
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies.at(-1) ?? 0),
    non2xx: answered - ok,
    errors,
    timeouts,
    statusCodes,
  };
}
