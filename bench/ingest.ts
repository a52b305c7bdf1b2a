// Ingest figure: alerts accepted per second and latency, one alert per request and 100 per request,
// at the peak (autocannon: as fast as a fixed number of connections gets answers) and at half of
// Herald's peak (paced.ts: an evenly spaced open-loop rate, for the p99 a loaded-but-not-saturated
// Herald gives). Herald on SQLite, on
// PostgreSQL when configured, and Alertmanager's POST /api/v2/alerts under the same load; then, at
// the peak only, a bare node:http server with an empty handler: the ceiling Node.js itself sets.
import { generateIngestToken } from '../src/setup/ingestTokens.js';
import type { RunningAlertmanager } from './alertmanager.js';
import { startBareHttp } from './bareHttp.js';
import { DATABASE_LABEL, type DatabaseKind } from './databases.js';
import { startBenchHerald, unfiledAlerts } from './herald.js';
import { runLoad, type LoadResult } from './load.js';
import { runPaced } from './paced.js';
import { alertmanagerApiPayload, loadAlerts, webhookPayload } from './payloads.js';
import { cpuSeconds, pollUntil, type Child } from './processes.js';
import type { BenchSettings } from './settings.js';

export const BATCH_SIZES = [1, 100] as const;
export type BatchSize = (typeof BATCH_SIZES)[number];
export type LoadKind = 'peak' | 'half';

export interface IngestRow {
  system: string;
  batch: BatchSize;
  load: LoadKind;
  /** The offered rate of a half-peak row, requests/s. */
  offeredRate?: number;
  result: LoadResult;
  /** CPU seconds the system's processes used during the row (user + system). */
  cpuSeconds: number;
  /**
   * CPU seconds this process used during the row: the load generator, which shares the machine's
   * cores with the system measured (the emulator in it is all but idle during ingest). Near a core,
   * the row measured the generator as much as the system.
   */
  generatorCpuSeconds: number;
  /** Herald: alerts accepted but not yet filed into groups when the row ended. */
  unfiledAfter?: number;
}

export interface IngestSystem {
  system: string;
  rows: IngestRow[];
  /** Alerts the load generator saw accepted vs. alerts the system says it holds. */
  sent: number;
  /** Null when it could not be asked; left out for a system that keeps nothing (the ceiling). */
  stored?: number | null;
  /** Why the rows stopped early (the process exited). */
  stopped?: string;
}

interface Target {
  system: string;
  /** The server's process: its CPU is measured, and once it is gone the rows after would only measure connection errors. */
  child: Child;
  url: string;
  headers: Record<string, string>;
  body: (perRequest: number) => string;
}

interface TargetOptions {
  /** Runs once a row is measured. */
  afterRow?: (row: IngestRow) => Promise<void>;
  /** The half-peak rates (Alertmanager gets Herald's, the same offered load); by default half the target's own peak. */
  halfRates?: ReadonlyMap<BatchSize, number>;
  /** No half-peak rows: a fixed rate says nothing of a server that does no work (the ceiling). */
  peakOnly?: boolean;
}

/** Peak then half-peak rows, for each batch size. */
async function measureTarget(target: Target, settings: BenchSettings, options: TargetOptions = {}): Promise<{ rows: IngestRow[]; sent: number; stopped?: string }> {
  const { afterRow, halfRates, peakOnly = false } = options;
  const rows: IngestRow[] = [];
  let sent = 0;
  const run = async (batch: BatchSize, load: { seconds: number; rate?: number }) => {
    const cpuBefore = cpuSeconds(target.child.pid);
    const generatorBefore = process.cpuUsage();
    const common = { url: target.url, headers: target.headers, body: () => target.body(batch), alertsPerRequest: batch, connections: settings.connections };
    const result = load.rate === undefined ? await runLoad({ ...common, seconds: load.seconds }) : await runPaced({ ...common, seconds: load.seconds, rate: load.rate });
    if (target.child.exited()) throw new Exited(`${target.system} exited during the ${batch}/request ${load.rate === undefined ? 'peak' : 'half-peak'} row; the rows after it were not measured`);
    sent += result.ok * batch;
    const generator = process.cpuUsage(generatorBefore);
    return { result, cpu: cpuSeconds(target.child.pid) - cpuBefore, generatorCpu: (generator.user + generator.system) / 1e6 };
  };
  const record = async (row: IngestRow) => {
    const r = row.result;
    const load = row.load === 'peak' ? 'peak' : `${row.offeredRate} req/s`;
    const cores = (seconds: number) => (seconds / r.seconds).toFixed(2);
    log(`  ${row.system}, ${row.batch}/request, ${load}: ${Math.round(r.alertsPerSecond)} alerts/s, p50 ${r.p50} ms, p99 ${r.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}, CPU ${cores(row.cpuSeconds)} cores (load generator ${cores(row.generatorCpuSeconds)})`);
    rows.push(row);
    await afterRow?.(row);
  };
  try {
    for (const batch of BATCH_SIZES) {
      if (settings.warmupSeconds > 0) await run(batch, { seconds: settings.warmupSeconds });
      const peak = await run(batch, { seconds: settings.seconds });
      await record({ system: target.system, batch, load: 'peak', result: peak.result, cpuSeconds: peak.cpu, generatorCpuSeconds: peak.generatorCpu });
      if (peakOnly) continue;
      const rate = halfRates?.get(batch) ?? Math.max(1, Math.round(peak.result.requestsPerSecond / 2));
      // The half rate for longer than group_wait first, so that the measured seconds are the half
      // load's steady state: the groups it opens are being evaluated and posted meanwhile, and the
      // peak row's (due group_wait after it) are done.
      if (settings.halfWarmupSeconds > 0) await run(batch, { seconds: settings.halfWarmupSeconds, rate });
      const half = await run(batch, { seconds: settings.seconds, rate });
      await record({ system: target.system, batch, load: 'half', offeredRate: rate, result: half.result, cpuSeconds: half.cpu, generatorCpuSeconds: half.generatorCpu });
    }
  } catch (error) {
    if (!(error instanceof Exited)) throw error;
    log(`  ${error.message}`);
    return { rows, sent, stopped: error.message };
  }
  return { rows, sent };
}

class Exited extends Error {}

/** The half-peak rates of a system's rows, to offer Alertmanager the same load. */
export function halfRatesOf(system: IngestSystem): Map<BatchSize, number> {
  return new Map(system.rows.filter((row) => row.load === 'half' && row.offeredRate !== undefined).map((row) => [row.batch, row.offeredRate as number]));
}

export async function measureHeraldIngest(kind: DatabaseKind, settings: BenchSettings): Promise<IngestSystem> {
  const system = `Herald · ${DATABASE_LABEL[kind]}`;
  log(`${system}: starting`);
  const herald = await startBenchHerald({ label: `the ingest rows (${DATABASE_LABEL[kind]})`, kind, postgresUrl: settings.postgresUrl });
  try {
    const target: Target = {
      system,
      child: herald.child,
      url: `${herald.url}/alerts/alertmanager`,
      headers: { authorization: `Bearer ${herald.token}` },
      body: (batch) => webhookPayload(loadAlerts(batch)),
    };
    // Herald files accepted alerts into groups in the background; the next row starts once it has
    // caught up with the last (or after 30 s), and the row notes what was still to file.
    const { rows, sent, stopped } = await measureTarget(target, settings, {
      afterRow: async (row) => {
        row.unfiledAfter = await unfiledAlerts(herald);
        await pollUntil(async () => ((await unfiledAlerts(herald)) === 0 ? true : null), 30_000, 500);
      },
    });
    const stored = await herald.observer.prisma.incomingAlert.count();
    return { system, rows, sent, stored, stopped };
  } finally {
    await herald.stop();
  }
}

export async function measureAlertmanagerIngest(
  start: () => Promise<RunningAlertmanager>,
  settings: BenchSettings,
  halfRates: ReadonlyMap<BatchSize, number> | undefined,
): Promise<IngestSystem> {
  const system = 'Alertmanager';
  log(`${system}: starting`);
  const alertmanager = await start();
  try {
    const target: Target = {
      system,
      child: alertmanager.child,
      url: alertmanager.alertsUrl,
      headers: {},
      body: (batch) => alertmanagerApiPayload(loadAlerts(batch)),
    };
    const { rows, sent, stopped } = await measureTarget(target, settings, { halfRates });
    return { system, rows, sent, stored: stopped ? null : await alertmanager.alertsReceived(), stopped };
  } finally {
    await alertmanager.stop();
  }
}

export const CEILING_SYSTEM = 'Node.js http, empty handler (ceiling)';

/**
 * The most any Node.js HTTP ingest on one thread can answer on this machine under this load: the
 * same requests as Herald's (path, token header, bodies), answered 202 by a server that reads each
 * body and does nothing with it (bareHttp.ts). Peak rows only.
 */
export async function measureBareNodeIngest(settings: BenchSettings): Promise<IngestSystem> {
  const system = CEILING_SYSTEM;
  log(`${system}: starting`);
  const server = await startBareHttp();
  try {
    const target: Target = {
      system,
      child: server.child,
      url: `${server.url}/alerts/alertmanager`,
      // A token of the real shape, unchecked: the requests are byte for byte the size of Herald's.
      headers: { authorization: `Bearer ${generateIngestToken()}` },
      body: (batch) => webhookPayload(loadAlerts(batch)),
    };
    const { rows, sent, stopped } = await measureTarget(target, settings, { peakOnly: true });
    return { system, rows, sent, stopped };
  } finally {
    await server.stop();
  }
}

function log(line: string): void {
  console.error(line);
}
