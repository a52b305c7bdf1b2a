// The ceiling Node.js itself sets on ingest: bareHttpServer.mjs (node:http, an empty handler) in its
// own process on loopback, started like Herald (the start script's Node options, so the same heap
// settings).
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/helpers/herald.js';
import { ROOT, startCommand } from './herald.js';
import { spawnChild, waitForHttp, type Child } from './processes.js';

const SERVER = fileURLToPath(new URL('./bareHttpServer.mjs', import.meta.url));

export interface RunningBareHttp {
  url: string;
  child: Child;
  stop(): Promise<void>;
}

export async function startBareHttp(): Promise<RunningBareHttp> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawnChild('Node.js http', process.execPath, [...startCommand().options, SERVER, String(port)], {
    env: { PATH: process.env.PATH ?? '' },
    cwd: ROOT,
  });
  // It answers every request 202, readiness probes included.
  await waitForHttp(child, url, 30_000);
  return { url, child, stop: () => child.stop() };
}
