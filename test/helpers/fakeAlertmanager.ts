// A stand-in for an Alertmanager's HTTP API in tests: a real node:http server on 127.0.0.1 that
// records every request (method, path, headers, body) and answers with whatever the test set,
// by default what Alertmanager answers to `POST /api/v2/silences`: 200 `{"silenceID":"…"}`.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedAlertmanagerRequest {
  method: string;
  /** The path and query as received, e.g. `/am/api/v2/silences`. */
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface AlertmanagerAnswer {
  status: number;
  /** Sent as is; an object is sent as JSON. */
  body: string | object;
}

export interface FakeAlertmanager {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly origin: string;
  /** Every request received, oldest first. */
  readonly requests: RecordedAlertmanagerRequest[];
  /** What the next requests are answered with; change it at any time. */
  answer: AlertmanagerAnswer;
  close(): Promise<void>;
}

export const DEFAULT_SILENCE_ANSWER: AlertmanagerAnswer = { status: 200, body: { silenceID: 'abc-123' } };

export async function startFakeAlertmanager(answer: AlertmanagerAnswer = DEFAULT_SILENCE_ANSWER): Promise<FakeAlertmanager> {
  const requests: RecordedAlertmanagerRequest[] = [];
  const state = { answer };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const { status, body } = state.answer;
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
      res.end(text);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    get answer() {
      return state.answer;
    },
    set answer(value: AlertmanagerAnswer) {
      state.answer = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
