// `npm run bench`: starts everything on loopback (Slack emulator in this process; Herald,
// Alertmanager and a bare node:http server as child processes; databases made fresh and removed),
// measures each figure, prints the table and writes it to bench/results/latest.md. Progress goes to
// stderr, the table to stdout.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { BLACKHOLE_CONFIG, findAlertmanager, startAlertmanager } from './alertmanager.js';
import { postgresVersion } from './databases.js';
import { heraldLogNotes } from './herald.js';
import { halfRatesOf, measureAlertmanagerIngest, measureBareNodeIngest, measureHeraldIngest, type IngestSystem } from './ingest.js';
import { codeDigest, describeMachine } from './machine.js';
import { measureAlertmanagerMemory, measureHeraldMemory, type MemoryFigure } from './memory.js';
import { cleanUpEverything, unexpectedExits } from './processes.js';
import { measureRealClient, type RealClientFigure } from './realClient.js';
import { readSettings } from './settings.js';
import { measureStorm, type StormFigure } from './storm.js';
import { renderResults } from './table.js';

const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

async function main(): Promise<number> {
  const settings = readSettings();
  const startedAt = new Date();
  const notes: string[] = [];
  let failed = false;

  const found = findAlertmanager(settings.alertmanagerBinary);
  const alertmanager = 'missing' in found ? null : found;
  if (!alertmanager) {
    notes.push(`Alertmanager rows and the real-client check: ${'missing' in found ? found.missing : ''}`);
    console.error(`Alertmanager is missing: ${'missing' in found ? found.missing : ''}. Its rows are skipped.`);
  }
  let postgresUrl = settings.postgresUrl;
  if (postgresUrl && (await postgresVersion(postgresUrl)) === null) {
    notes.push(`PostgreSQL rows: ${redact(postgresUrl)} did not answer`);
    postgresUrl = null;
  } else if (!postgresUrl) {
    notes.push('PostgreSQL rows: set BENCH_POSTGRES_URL (or TEST_POSTGRES_URL) to a PostgreSQL server to measure them');
  }
  const machine = await describeMachine({ postgresUrl, alertmanager: alertmanager?.version ?? null });
  const startBlackhole = () => startAlertmanager(settings.alertmanagerBinary, BLACKHOLE_CONFIG);

  /** Runs one figure; a failure is noted and the others still run. */
  const attempt = async <T>(what: string, work: () => Promise<T>): Promise<T | null> => {
    try {
      return await work();
    } catch (error) {
      failed = true;
      const message = error instanceof Error ? error.message : String(error);
      notes.push(`${what} failed: ${message.split('\n')[0]}`);
      console.error(`${what} failed:`, error);
      return null;
    } finally {
      await cleanUpEverything();
    }
  };

  const ingest: IngestSystem[] = [];
  const memory: MemoryFigure[] = [];
  let storm: StormFigure | null = null;
  let realClient: RealClientFigure | null = null;

  if (settings.only.has('ingest')) {
    const sqlite = await attempt('Ingest, Herald · SQLite', () => measureHeraldIngest('sqlite', { ...settings, postgresUrl }));
    if (sqlite) ingest.push(sqlite);
    if (postgresUrl) {
      const postgres = await attempt('Ingest, Herald · PostgreSQL', () => measureHeraldIngest('postgresql', { ...settings, postgresUrl }));
      if (postgres) ingest.push(postgres);
    }
    if (alertmanager) {
      const am = await attempt('Ingest, Alertmanager', () => measureAlertmanagerIngest(startBlackhole, settings, sqlite ? halfRatesOf(sqlite) : undefined));
      if (am) ingest.push(am);
    }
    // Not Herald: how far a Node.js server of Herald's design could go before doing any of its work.
    const ceiling = await attempt('Ingest, Node.js http ceiling', () => measureBareNodeIngest(settings));
    if (ceiling) ingest.push(ceiling);
  }
  if (settings.only.has('memory')) {
    const herald = await attempt('Memory, Herald', () => measureHeraldMemory(settings));
    if (herald) memory.push(herald);
    if (alertmanager) {
      // The same number of alerts Herald took (all of them, unless the deadline cut its load short).
      const requests = herald ? herald.load.ok : settings.memoryRequests;
      const am = await attempt('Memory, Alertmanager', () => measureAlertmanagerMemory(startBlackhole, settings, requests));
      if (am) memory.push(am);
    }
  }
  if (settings.only.has('storm')) storm = await attempt('Storm', () => measureStorm(settings));
  if (settings.only.has('real') && alertmanager) realClient = await attempt('Real client', () => measureRealClient(settings));

  for (const system of ingest) if (system.stopped) notes.push(`Ingest: ${system.stopped}`);
  notes.push(...unexpectedExits, ...heraldLogNotes());
  const codeAtEnd = codeDigest();
  if (codeAtEnd !== machine.code) notes.push(`Herald's code (src/, prisma/) changed during the run (digest ${machine.code} → ${codeAtEnd}): figures measured by different Heralds`);
  const text = renderResults({ machine, settings, startedAt, seconds: (Date.now() - startedAt.getTime()) / 1000, ingest, memory, storm, realClient, notes });
  console.log(`\n${text}`);
  mkdirSync(dirname(settings.resultsFile), { recursive: true });
  writeFileSync(settings.resultsFile, text);
  console.error(`written to ${settings.resultsFile}`);
  return failed || (realClient !== null && !realClient.passed) ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`${signal}: stopping what the bench started`);
    void cleanUpEverything().finally(() => process.exit(130));
  });
}

try {
  process.exitCode = await main();
} finally {
  await cleanUpEverything();
}
// The emulator's and the load generator's sockets may linger; the run is over.
process.exit(process.exitCode);
