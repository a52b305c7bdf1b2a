// Runs Herald as a real child process, as `npm start` does (dist/main.js, the compiled JavaScript),
// for restart and crash tests. `npm test` builds dist/ first (package.json's pretest).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = join(root, 'dist', 'main.js');

export interface HeraldProcess {
  child: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts dist/main.js as its own process and waits until /readyz answers. A restart on a loaded
 * 2-core machine can take seconds (migrations, Prisma's client), hence the generous default.
 */
export async function spawnHerald(env: Record<string, string>, url: string, readyWithinMs = 60_000): Promise<HeraldProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run the tests with npm test, which builds it (or npm run build first)`);
  const child = spawn(process.execPath, [MAIN], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  const deadline = Date.now() + readyWithinMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Herald exited with ${child.exitCode}:\n${output}`);
    const ready = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.ok, () => false);
    if (ready) return { child, output: () => output, stop };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop('SIGKILL');
  throw new Error(`Herald did not become ready within ${readyWithinMs} ms:\n${output}`);
}
