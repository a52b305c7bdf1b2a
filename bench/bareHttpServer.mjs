// The ceiling row's server: node:http with Node's defaults and an empty handler. It reads each
// request's whole body as Herald's readBody does (chunks, then one Buffer) and answers 202 with a
// body shaped like Herald's, without parsing, validating or storing anything: what is left is the
// cost of HTTP itself on one Node.js thread. Plain JavaScript, so Node runs it without tsx's loader.
// Usage: node bareHttpServer.mjs <port>; it listens on 127.0.0.1 and prints nothing.
import { createServer } from 'node:http';

// Built once: serializing it per request would be work beyond HTTP. The count is not the batch's
// (the body is not parsed); 1 or 100 differ by two bytes.
const ANSWER = JSON.stringify({ accepted: 1, duplicates: 0 });
const HEADERS = { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(ANSWER) };

const server = createServer((request, response) => {
  const chunks = [];
  let size = 0;
  request.on('data', (chunk) => {
    chunks.push(chunk);
    size += chunk.length;
  });
  request.on('end', () => {
    // Joined into one Buffer as Herald's readBody joins them, then dropped.
    if (chunks.length > 1) Buffer.concat(chunks, size);
    response.writeHead(202, HEADERS);
    response.end(ANSWER);
  });
});

server.listen(Number(process.argv[2]), '127.0.0.1');
