// The ceiling Node.js itself sets on ingest: bareHttpServer.mjs (node:http, an empty handler) in its
// own process on loopback, started like Herald (the start script's Node options, so the same heap
// setting) except for the tsx loader, which a plain JavaScript script does not need.
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
  const child = spawnChild('Node.js http', process.execPath, [...withoutTsx(startCommand().options), SERVER, String(port)], {
    env: { PATH: process.env.PATH ?? '' },
    cwd: ROOT,
  });
  // It answers every request 202, readiness probes included.
  await waitForHttp(child, url, 30_000);
  return { url, child, stop: () => child.stop() };
}

/** Node options without `--import tsx` (or `--loader tsx`, or either with `=`). */
function withoutTsx(options: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < options.length; i++) {
    const option = options[i] as string;
    if ((option === '--import' || option === '--loader') && options[i + 1] === 'tsx') i++;
    else if (option !== '--import=tsx' && option !== '--loader=tsx') kept.push(option);
  }
  return kept;
}
