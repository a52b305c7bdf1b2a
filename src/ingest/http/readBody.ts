// Reads a request body into memory, up to a limit. A body that declares a larger Content-Length is
// refused before a byte of it is read; one that grows past the limit while streaming (chunked) is
// refused at that point, and what it already sent is dropped, so no body ever costs more than the
// limit in memory.
import type { IncomingMessage } from 'node:http';
import { refuse } from './refusal.js';

/** 1 MiB: Alertmanager's largest groups fit many times over; larger bodies are a mistake or an attack. */
export const MAX_BODY_BYTES = 1024 * 1024;

export class ClientGone extends Error {
  constructor() {
    super('the client closed the connection before sending the whole body');
    this.name = 'ClientGone';
  }
}

/** @throws Refusal 413 when the declared length exceeds the limit. */
export function refuseDeclaredOversize(req: IncomingMessage, limit = MAX_BODY_BYTES): void {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) throw refuse.tooLarge(limit);
}

/** @throws Refusal 413 past the limit; ClientGone if the client disconnects first. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        chunks.length = 0;
        // The answer carries Connection: close, so Node discards the rest and closes the socket.
        reject(refuse.tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    const onClose = () => {
      cleanup();
      reject(new ClientGone());
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onClose);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onClose);
    req.on('close', onClose);
  });
}
