// Calls into a worker thread of Herald's own (the SQLite writer thread): each request is posted
// with an id and answered by its result or by its error's message and code. A thread that dies
// fails the calls in flight, and the next call starts a new one. The thread's side is
// threadAnswers.ts (apart, so that a thread does not load what starting one takes).
import type { Worker } from 'node:worker_threads';
import { startThread } from './thread.js';

export type CallMessage<Request> = { id: number; request: Request } | { close: true };
export type CallReply<Result> = { id: number; result: Result } | { id: number; error: { message: string; code?: string } };

export interface ThreadCalls<Request, Result> {
  /** Rejects with the thread's error (its `code` kept: SQLITE_BUSY, SQLITE_CONSTRAINT, …) or, if the thread died, why. */
  call(request: Request): Promise<Result>;
  /** Lets the thread finish the calls it has, close what it opened, and exit. */
  close(): Promise<void>;
}

interface Pending<Result> {
  resolve(result: Result): void;
  reject(error: Error): void;
}

/** `name` says which thread in errors ("the SQLite writer thread"); `entry` and `options` are startThread's. */
export function threadCalls<Request, Result>(name: string, entry: URL, options: Parameters<typeof startThread>[1]): ThreadCalls<Request, Result> {
  const pending = new Map<number, Pending<Result>>();
  let nextId = 0;
  let thread: Worker | null = null;

  const failAll = (error: Error) => {
    thread = null;
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  const start = () => {
    const worker = startThread(entry, options);
    worker.on('message', (reply: CallReply<Result>) => {
      const waiting = pending.get(reply.id);
      pending.delete(reply.id);
      if ('result' in reply) waiting?.resolve(reply.result);
      else waiting?.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
    });
    worker.on('error', (error) => failAll(error));
    worker.on('exit', (code) => {
      if (thread === worker) failAll(new Error(`${name} exited (code ${code})`));
    });
    return worker;
  };

  return {
    call: (request) =>
      new Promise<Result>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        thread ??= start();
        thread.postMessage({ id, request } satisfies CallMessage<Request>);
      }),
    close: async () => {
      const worker = thread;
      thread = null;
      if (!worker) return;
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage({ close: true } satisfies CallMessage<Request>);
      await exited;
    },
  };
}
