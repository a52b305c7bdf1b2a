// Ingest figure: alerts accepted per second and latency, one alert per request and 100 per request,
// at the peak (autocannon: as fast as a fixed number of connections gets answers) and at half of
// Herald's peak (paced.ts: an evenly spaced open-loop rate, for the p99 a loaded-but-not-saturated
// Herald gives). Herald on SQLite, on
// PostgreSQL when configured, and Alertmanager's POST /api/v2/alerts under the same load.
import type { RunningAlertmanager } from './alertmanager.js';
import { DATABASE_LABEL, type DatabaseKind } from './databases.js';
import { startBenchHerald, unfiledAlerts } from './herald.js';
import { runLoad, type LoadResult } from './load.js';
import { runPaced } from './paced.js';
import { alertmanagerApiPayload, loadAlerts, webhookPayload } from './payloads.js';
import { cpuSeconds, pollUntil } from './processes.js';
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
  /** Herald: alerts accepted but not yet filed into groups when the row ended. */
  unfiledAfter?: number;
}

export interface IngestSystem {
  system: string;
  rows: IngestRow[];
  /** Alerts the load generator saw accepted vs. alerts the system says it holds. */
  sent: number;
  stored: number | null;
  /** Why the rows stopped early (the process exited). */
  stopped?: string;
}

interface Target {
  system: string;
  pid: number;
  /** False once the process is gone: the rows after that would only measure connection errors. */
  alive: () => boolean;
  url: string;
  headers: Record<string, string>;
  body: (perRequest: number) => string;
}

/**
 * Peak then half-peak rows, for each batch size. `halfRates` fixes the half-peak rates (Alertmanager
 * gets Herald's, the same offered load); `afterRow` runs once a row is measured.
 */
async function measureTarget(
  target: Target,
  settings: BenchSettings,
  afterRow: (row: IngestRow) => Promise<void>,
  halfRates?: ReadonlyMap<BatchSize, number>,
): Promise<{ rows: IngestRow[]; sent: number; stopped?: string }> {
  const rows: IngestRow[] = [];
  let sent = 0;
  const run = async (batch: BatchSize, options: { seconds: number; rate?: number }) => {
    const cpuBefore = cpuSeconds(target.pid);
    const common = { url: target.url, headers: target.headers, body: () => target.body(batch), alertsPerRequest: batch, connections: settings.connections };
    const result = options.rate === undefined ? await runLoad({ ...common, seconds: options.seconds }) : await runPaced({ ...common, seconds: options.seconds, rate: options.rate });
    if (!target.alive()) throw new Exited(`${target.system} exited during the ${batch}/request ${options.rate === undefined ? 'peak' : 'half-peak'} row; the rows after it were not measured`);
    sent += result.ok * batch;
    return { result, cpu: cpuSeconds(target.pid) - cpuBefore };
  };
  const record = async (row: IngestRow) => {
    const r = row.result;
    const load = row.load === 'peak' ? 'peak' : `${row.offeredRate} req/s`;
    const cores = (row.cpuSeconds / r.seconds).toFixed(2);
    log(`  ${row.system}, ${row.batch}/request, ${load}: ${Math.round(r.alertsPerSecond)} alerts/s, p50 ${r.p50} ms, p99 ${r.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}, CPU ${cores} cores`);
    rows.push(row);
    await afterRow(row);
  };
  try {
    for (const batch of BATCH_SIZES) {
      if (settings.warmupSeconds > 0) await run(batch, { seconds: settings.warmupSeconds });
      const peak = await run(batch, { seconds: settings.seconds });
      await record({ system: target.system, batch, load: 'peak', result: peak.result, cpuSeconds: peak.cpu });
      const rate = halfRates?.get(batch) ?? Math.max(1, Math.round(peak.result.requestsPerSecond / 2));
      // The half rate for longer than group_wait first, so that the measured seconds are the half
      // load's steady state: the groups it opens are being evaluated and posted meanwhile, and the
      // peak row's (due group_wait after it) are done.
      if (settings.halfWarmupSeconds > 0) await run(batch, { seconds: settings.halfWarmupSeconds, rate });
      const half = await run(batch, { seconds: settings.seconds, rate });
      await record({ system: target.system, batch, load: 'half', offeredRate: rate, result: half.result, cpuSeconds: half.cpu });
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
      pid: herald.child.pid,
      alive: () => !herald.child.exited(),
      url: `${herald.url}/alerts/alertmanager`,
      headers: { authorization: `Bearer ${herald.token}` },
      body: (batch) => webhookPayload(loadAlerts(batch)),
    };
    // Herald files accepted alerts into groups in the background; the next row starts once it has
    // caught up with the last (or after 30 s), and the row notes what was still to file.
    const { rows, sent, stopped } = await measureTarget(target, settings, async (row) => {
      row.unfiledAfter = await unfiledAlerts(herald);
      await pollUntil(async () => ((await unfiledAlerts(herald)) === 0 ? true : null), 30_000, 500);
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
      pid: alertmanager.child.pid,
      alive: () => !alertmanager.child.exited(),
      url: alertmanager.alertsUrl,
      headers: {},
      body: (batch) => alertmanagerApiPayload(loadAlerts(batch)),
    };
    const { rows, sent, stopped } = await measureTarget(target, settings, async () => undefined, halfRates);
    return { system, rows, sent, stored: stopped ? null : await alertmanager.alertsReceived(), stopped };
  } finally {
    await alertmanager.stop();
  }
}

function log(line: string): void {
  console.error(line);
}
