// The thread's side of threadCalls.ts: answers the calls that the thread that started it makes.
import { parentPort } from 'node:worker_threads';
import type { CallMessage, CallReply } from './threadCalls.js';

/**
 * Answers each call with `handle`, one at a time in the order they came (a call that returns a
 * promise is settled before the next starts); on close runs `close` after the calls before it,
 * then lets the thread end.
 */
export function answerCalls<Request, Result>(handle: (request: Request) => Result | Promise<Result>, close: () => void): void {
  const port = parentPort;
  if (!port) throw new Error('answerCalls runs in a worker thread');
  let previous: Promise<unknown> = Promise.resolve();
  port.on('message', (message: CallMessage<Request>) => {
    previous = previous.then(async () => {
      if ('close' in message) {
        // Whatever closing meets, the thread ends: its connections go with it.
        try {
          close();
        } catch {
          // nothing to tell: the caller only waits for the thread to end
        }
        port.close(); // the thread ends once nothing else holds it open
        return;
      }
      let reply: CallReply<Result>;
      try {
        reply = { id: message.id, result: await handle(message.request) };
      } catch (error) {
        const { message: text, code } = error as { message?: string; code?: string };
        reply = { id: message.id, error: { message: text ?? String(error), code } };
      }
      port.postMessage(reply);
    });
  });
}
