// Memory figure: peak resident set (VmHWM) after 500,000 alerts, sent as 5,000 requests of 100
// alerts each, to a fresh Herald (SQLite) and then the same count to a fresh Alertmanager.
// Herald's peak is read once it has also filed every accepted alert into groups (delivery's work
// on them), Alertmanager's once its aggregation groups had group_wait to flush.
import type { RunningAlertmanager } from './alertmanager.js';
import { startBenchHerald, unfiledAlerts, type BenchHerald } from './herald.js';
import { runLoad, type LoadResult } from './load.js';
import { alertmanagerApiPayload, loadAlerts, webhookPayload } from './payloads.js';
import { sleep, type Memory } from './processes.js';
import type { BenchSettings } from './settings.js';

const BATCH = 100;

export interface MemoryFigure {
  system: string;
  alerts: number;
  load: LoadResult;
  /** Before the first alert. */
  idle: Memory;
  /** Right after the last answer. */
  afterIngest: Memory;
  /** After the settling below. */
  settled: Memory;
  /** Herald: seconds until every accepted alert was filed, or null if it had not by the deadline (or stopped progressing for a minute). */
  settleSeconds: number | null;
  /** Herald: alerts still to file when the peak was read. */
  unfiled?: number;
  /** Set when the time limit stopped the load before all requests were sent. */
  capped: boolean;
}

/** Herald gets `settings.memoryRequests` requests, or what it answers within `settings.memoryMaxSeconds`. */
export async function measureHeraldMemory(settings: BenchSettings): Promise<MemoryFigure> {
  log(`Herald · SQLite: memory after ${settings.memoryRequests * BATCH} alerts`);
  const herald = await startBenchHerald({ label: 'the memory figure', kind: 'sqlite', postgresUrl: null });
  try {
    const idle = herald.memory();
    const load = await runLoad({
      url: `${herald.url}/alerts/alertmanager`,
      headers: { authorization: `Bearer ${herald.token}` },
      body: () => webhookPayload(loadAlerts(BATCH)),
      alertsPerRequest: BATCH,
      connections: settings.connections,
      amount: settings.memoryRequests,
      maxSeconds: settings.memoryMaxSeconds,
    });
    const afterIngest = herald.memory();
    const started = Date.now();
    const filed = await waitForFiling(herald, settings.deadlineSeconds * 1000);
    const settleSeconds = filed ? (Date.now() - started) / 1000 : null;
    const figure: MemoryFigure = {
      system: 'Herald · SQLite',
      alerts: load.ok * BATCH,
      load,
      idle,
      afterIngest,
      settled: herald.memory(),
      settleSeconds,
      unfiled: await unfiledAlerts(herald),
      capped: load.requests < settings.memoryRequests,
    };
    log(`  Herald: ${figure.alerts} alerts in ${load.seconds.toFixed(1)} s; peak RSS ${mib(figure.settled.treePeak)}; filed ${filed ? `${settleSeconds?.toFixed(1)} s later` : 'not all'}`);
    return figure;
  } finally {
    await herald.stop();
  }
}

/** Waits until Herald filed every accepted alert; gives up at the deadline or after a minute without progress. */
async function waitForFiling(herald: BenchHerald, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let least = Infinity;
  let progressAt = Date.now();
  while (Date.now() < deadline && Date.now() - progressAt < STALL_MS) {
    const unfiled = await unfiledAlerts(herald);
    if (unfiled === 0) return true;
    if (unfiled < least) {
      least = unfiled;
      progressAt = Date.now();
    }
    await sleep(1000);
  }
  return false;
}

const STALL_MS = 60_000;

/** The same number of alerts as Herald got, to a fresh Alertmanager. */
export async function measureAlertmanagerMemory(start: () => Promise<RunningAlertmanager>, settings: BenchSettings, requests: number): Promise<MemoryFigure> {
  log(`Alertmanager: memory after ${requests * BATCH} alerts`);
  const alertmanager = await start();
  try {
    const idle = alertmanager.memory();
    const load = await runLoad({
      url: alertmanager.alertsUrl,
      body: () => alertmanagerApiPayload(loadAlerts(BATCH)),
      alertsPerRequest: BATCH,
      connections: settings.connections,
      amount: requests,
      maxSeconds: settings.memoryMaxSeconds,
    });
    const afterIngest = alertmanager.memory();
    await sleep(12_000); // group_wait (10 s): every aggregation group flushes once
    const figure: MemoryFigure = {
      system: 'Alertmanager',
      alerts: load.ok * BATCH,
      load,
      idle,
      afterIngest,
      settled: alertmanager.memory(),
      settleSeconds: null,
      capped: load.requests < requests,
    };
    log(`  Alertmanager: ${figure.alerts} alerts in ${load.seconds.toFixed(1)} s; peak RSS ${mib(figure.settled.treePeak)}`);
    return figure;
  } finally {
    await alertmanager.stop();
  }
}

export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

function log(line: string): void {
  console.error(line);
}
