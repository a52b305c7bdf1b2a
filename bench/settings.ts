// The bench's knobs, read once from the environment. Every figure has a default that reproduces
// BENCHMARKS.md; the knobs only shorten or narrow a run.
export const SECTIONS = ['ingest', 'memory', 'storm', 'real'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchSettings {
  /** Which figures to measure (BENCH_ONLY=ingest,storm). */
  only: ReadonlySet<Section>;
  /** Seconds measured per ingest row (BENCH_SECONDS). */
  seconds: number;
  /** Seconds of warm-up before each peak row (BENCH_WARMUP). */
  warmupSeconds: number;
  /**
   * Seconds at the half rate before each half-peak row is measured (BENCH_HALF_WARMUP): longer
   * than group_wait (10 s, Herald's default and the bench Alertmanager's), see ingest.ts.
   */
  halfWarmupSeconds: number;
  /** Connections the load generator keeps open (BENCH_CONNECTIONS). */
  connections: number;
  /** PostgreSQL server for the PostgreSQL rows; null skips them (BENCH_POSTGRES_URL, else TEST_POSTGRES_URL). */
  postgresUrl: string | null;
  /** The Alertmanager binary (BENCH_ALERTMANAGER). */
  alertmanagerBinary: string;
  /** Memory figure: requests of 100 alerts (BENCH_MEMORY_REQUESTS; 5,000 → 500,000 alerts). */
  memoryRequests: number;
  /** Memory figure: stop sending after this long even if not all requests went (BENCH_MEMORY_MAX_SECONDS). */
  memoryMaxSeconds: number;
  /** Storm: alerts, and distinct alertnames among them (BENCH_STORM_ALERTS, BENCH_STORM_ALERTNAMES). */
  stormAlerts: number;
  stormAlertnames: number;
  /** Longest wait for delivery to catch up (storm drain, memory backlog, real client), seconds (BENCH_DEADLINE). */
  deadlineSeconds: number;
  /** Where the table is written besides stdout. */
  resultsFile: string;
}

function number(name: string, fallback: number, min = 1): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number ≥ ${min}, not "${raw}"`);
  return value;
}

function sections(): ReadonlySet<Section> {
  const raw = process.env.BENCH_ONLY?.trim();
  if (!raw) return new Set(SECTIONS);
  const picked = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = picked.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`BENCH_ONLY: unknown ${unknown.join(', ')}; pick from ${SECTIONS.join(', ')}`);
  return new Set(picked as Section[]);
}

export function readSettings(): BenchSettings {
  return {
    only: sections(),
    seconds: number('BENCH_SECONDS', 10),
    warmupSeconds: number('BENCH_WARMUP', 3, 0),
    halfWarmupSeconds: number('BENCH_HALF_WARMUP', 15, 0),
    connections: number('BENCH_CONNECTIONS', 32),
    postgresUrl: process.env.BENCH_POSTGRES_URL?.trim() || process.env.TEST_POSTGRES_URL?.trim() || null,
    alertmanagerBinary: process.env.BENCH_ALERTMANAGER?.trim() || '/usr/bin/prometheus-alertmanager',
    memoryRequests: number('BENCH_MEMORY_REQUESTS', 5_000),
    memoryMaxSeconds: number('BENCH_MEMORY_MAX_SECONDS', 1_800),
    stormAlerts: number('BENCH_STORM_ALERTS', 10_000, 20),
    stormAlertnames: number('BENCH_STORM_ALERTNAMES', 50),
    deadlineSeconds: number('BENCH_DEADLINE', 300),
    resultsFile: process.env.BENCH_RESULTS?.trim() || new URL('./results/latest.md', import.meta.url).pathname,
  };
}
