// Herald as an operator runs it: its own process, started with what `npm start` runs (its build,
// then package.json's start script, `node <options> dist/main.js`), its own database, talking to
// the Slack emulator that runs in the bench process. Acme is installed through the OAuth flow, and
// an ingest token is written the way `/herald token create` writes it.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database } from '../src/db/database.js';
import { silentLogger } from '../src/log.js';
import type { SlackEmulator } from '../test/emulator/index.js';
import type { EmulatorOptions } from '../test/emulator/types.js';
import { freePort, heraldEnv, startEmulator } from '../test/helpers/herald.js';
import { createToken } from '../test/helpers/ingest.js';
import { installWorkspace } from '../test/helpers/install.js';
import { createDatabase, type BenchDatabase, type DatabaseKind } from './databases.js';
import { memoryOf, onCleanup, spawnChild, waitForHttp, type Child, type Memory } from './processes.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const WORKSPACE = 'T0ACME';
export const INSTALL_CHANNEL = 'C0ALERTS';

/**
 * What the Herald processes of this run logged at warn and above, by message and cause, with the
 * figure they ran for: "delivery could not reach the database" a thousand times is a finding.
 */
const logged = new Map<string, number>();

export function heraldLogNotes(): string[] {
  return [...logged.entries()].map(([what, count]) => `Herald logged ${count}× ${what}`);
}

/** Counts each pino line of level warn (40) or above; the cause is the last line of `err`, which is where Prisma puts it. */
function watchLog(child: Child, label: string): void {
  let partial = '';
  child.process.stdout?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      try {
        const entry = JSON.parse(line) as { level?: number; msg?: string; err?: unknown };
        if ((entry.level ?? 0) < 40) continue;
        const cause = typeof entry.err === 'string' ? (entry.err.trim().split('\n').at(-1) ?? '').slice(0, 200) : '';
        const key = `"${entry.msg}"${cause ? ` (${cause})` : ''} during ${label}`;
        logged.set(key, (logged.get(key) ?? 0) + 1);
      } catch {
        // not a log line
      }
    }
  });
}

export interface BenchHerald {
  url: string;
  child: Child;
  emulator: SlackEmulator;
  database: BenchDatabase;
  /** The bench's own connection to Herald's database, to set Herald up and to look at what it did. */
  observer: Database;
  token: string;
  /** POST here with the token in the path: what Alertmanager's webhook_configs url would be. */
  alertmanagerUrl: string;
  memory(): Memory;
  stop(): Promise<void>;
}

export async function startBenchHerald(p: {
  /** Which figure it is for, in log notes. */
  label: string;
  kind: DatabaseKind;
  postgresUrl: string | null;
  emulator?: Partial<EmulatorOptions>;
}): Promise<BenchHerald> {
  const emulator = await startEmulator(p.emulator);
  const closeEmulator = onCleanup(() => emulator.close());
  const database = await createDatabase(p.kind, p.postgresUrl);
  const port = await freePort();
  const env = {
    PATH: process.env.PATH ?? '',
    ...heraldEnv({ port, databaseUrl: database.url, emulator, encryptionKey: randomBytes(32).toString('base64') }),
    LOG_LEVEL: 'warn',
    INGEST_RATE_LIMIT: '0',
  };
  // BENCH_HERALD_NODE_ARGS adds Node options, e.g. "--cpu-prof --cpu-prof-dir=/tmp/herald-prof" to profile a run.
  // They go after the start script's own options, so they can also override one.
  const nodeArgs = (process.env.BENCH_HERALD_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
  buildOnce();
  const { options, script } = startCommand();
  const child = spawnChild('Herald', process.execPath, [...options, ...nodeArgs, script], { env, cwd: ROOT });
  watchLog(child, p.label);
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(child, `${url}/readyz`, 120_000);
  emulator.eventsUrl = `${url}/slack/events`;
  const installed = await installWorkspace(url, emulator);
  if (installed.status !== 200) throw new Error(`installing Acme answered ${installed.status}: ${installed.html.slice(0, 300)}`);
  const observer = await openDatabase(database.url, silentLogger());
  const closeObserver = onCleanup(() => observer.close());
  const { token } = await createToken(observer.prisma);
  return {
    url,
    child,
    emulator,
    database,
    observer,
    token,
    alertmanagerUrl: `${url}/alerts/alertmanager/${token}`,
    memory: () => memoryOf(child.pid),
    stop: async () => {
      await child.stop();
      await closeObserver();
      await closeEmulator();
      await database.drop();
    },
  };
}

let built = false;

/** `npm start` builds dist/ first (its prestart): so does the bench, once per run, so it measures the code as it is. */
function buildOnce(): void {
  if (built) return;
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  built = true;
}

/**
 * What `npm start` runs after its build, from package.json: Node's options (the heap settings) and
 * the script, so the bench measures the process an operator runs (without npm around it).
 */
export function startCommand(): { options: string[]; script: string } {
  const start = startScript();
  const [command, ...args] = start.trim().split(/\s+/);
  const script = args.pop();
  if (command !== 'node' || script === undefined) throw new Error(`package.json's start script should be "node <options> <script>", not "${start}"`);
  return { options: args, script: join(ROOT, script) };
}

/** package.json's start script, as written. */
export function startScript(): string {
  return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
}

/** Accepted alerts Herald has not filed into groups yet. */
export function unfiledAlerts(herald: BenchHerald): Promise<number> {
  return herald.observer.prisma.incomingAlert.count({ where: { processedAt: null } });
}
