// The results as one markdown document: the machine, then a table per figure, then what was skipped.
import { CEILING_SYSTEM, type IngestRow, type IngestSystem } from './ingest.js';
import type { Machine } from './machine.js';
import type { LoadResult } from './load.js';
import { mib, type MemoryFigure } from './memory.js';
import type { RealClientFigure } from './realClient.js';
import type { BenchSettings } from './settings.js';
import type { StormFigure } from './storm.js';

export interface Results {
  machine: Machine;
  settings: BenchSettings;
  startedAt: Date;
  seconds: number;
  ingest: IngestSystem[];
  memory: MemoryFigure[];
  storm: StormFigure | null;
  realClient: RealClientFigure | null;
  /** What was not measured and why (no Alertmanager, no PostgreSQL, a failure), and anything else to know. */
  notes: string[];
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const fixed = (n: number, digits = 1) => n.toFixed(digits);
const seconds = (n: number | null) => (n === null ? '—' : `${fixed(n)} s`);

function row(cells: (string | number)[]): string {
  return `| ${cells.join(' | ')} |`;
}

function tableOf(header: string[], rows: (string | number)[][]): string {
  return [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');
}

function machineSection(m: Machine, s: BenchSettings, started: Date, total: number): string {
  return [
    `- **Machine**: ${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB RAM; load average ${fixed(m.loadAtStart, 2)} when the run started`,
    `- **Software**: Node ${m.node}, SQLite ${m.sqlite}, PostgreSQL ${m.postgres ?? '— (not measured)'}, Alertmanager ${m.alertmanager ?? '— (not installed)'}`,
    `- **Herald**: commit ${m.commit} (code digest ${m.code}), run as \`${m.start}\``,
    `- **Run**: ${started.toISOString()}, ${fixed(total / 60)} min; ${s.seconds} s per ingest row after ${s.warmupSeconds} s of warm-up (${s.halfWarmupSeconds} s at the half rate before a half-peak row), ${s.connections} connections`,
  ].join('\n');
}

function ratioCell(row: IngestRow, alertmanager: IngestRow | undefined): string {
  if (!alertmanager || row.system === 'Alertmanager') return '';
  if (row.load === 'peak') {
    return alertmanager.result.alertsPerSecond > 0 ? `${fixed(row.result.alertsPerSecond / alertmanager.result.alertsPerSecond, 2)}× alerts/s` : '';
  }
  return alertmanager.result.p99 > 0 ? `${fixed(row.result.p99 / alertmanager.result.p99, 1)}× p99` : '';
}

function ingestSection(systems: IngestSystem[]): string {
  const alertmanager = systems.find((s) => s.system === 'Alertmanager');
  const rows: (string | number)[][] = [];
  for (const batch of [1, 100]) {
    for (const load of ['peak', 'half'] as const) {
      for (const system of systems) {
        const r = system.rows.find((x) => x.batch === batch && x.load === load);
        if (!r) continue;
        const am = alertmanager?.rows.find((x) => x.batch === batch && x.load === load);
        const res = r.result;
        const alerts = res.ok * r.batch;
        rows.push([
          batch,
          load === 'peak' ? 'peak' : `${int(r.offeredRate ?? 0)} req/s`,
          r.system,
          int(res.alertsPerSecond),
          res.ok === 0 ? '—' : res.p50,
          res.ok === 0 ? '—' : res.p99,
          failures(res),
          fixed(r.cpuSeconds / res.seconds, 2),
          alerts > 0 ? int((r.cpuSeconds * 1e6) / alerts) : '—',
          r.unfiledAfter === undefined ? '' : int(r.unfiledAfter),
          ratioCell(r, am),
        ]);
      }
    }
  }
  // The ceiling keeps nothing, so it has no count to check.
  const checks = systems
    .filter((s) => s.stored !== undefined)
    .map((s) => `${s.system}: ${int(s.sent)} alerts answered 2xx, ${typeof s.stored === 'number' ? int(s.stored) : '?'} ${s.system === 'Alertmanager' ? 'counted received' : 'stored'}`);
  const ceiling = systems.some((s) => s.system === CEILING_SYSTEM)
    ? ` ${CEILING_SYSTEM} is not Herald: a bare node:http server in its own process (the start script's Node options) that reads the body of the same requests and answers 202 without parsing or storing anything, at the peak only. ` +
      'It is the most a Node.js HTTP ingest on one thread, as Herald\'s is, can answer on this machine under this load: where it is below Alertmanager, no such server can match Alertmanager, whatever it does after reading the body. ' +
      'Near 1 CPU core it reached the limit of its one thread; below that, the load generator or the machine\'s other work held it back (stderr gives the generator\'s CPU per row).'
    : '';
  return [
    '### Ingest',
    '',
    tableOf(
      ['Alerts/req', 'Load', 'System', 'Alerts/s', 'p50 ms', 'p99 ms', 'Non-2xx / errors', 'CPU cores', 'CPU µs/alert', 'Unfiled at end', 'vs Alertmanager'],
      rows,
    ),
    '',
    'Peak: as fast as the connections get answers. Half rows offer half of Herald · SQLite\'s peak request rate to every system (Herald · PostgreSQL: half of its own peak), measured after a warm-up at that rate longer than group_wait (the steady state, with the groups the load opens being posted). ' +
      "Ratio: the row's system ÷ Alertmanager, alerts/s (peak rows, higher is better) or p99 (half rows, lower is better). CPU: the system process and its children during the row (not the PostgreSQL server). " +
      'Unfiled: accepted alerts Herald had not yet filed into groups when the row ended.' +
      ceiling,
    '',
    `Counts (warm-ups included; a system may hold more than it answered 2xx for, since requests in flight when a row ends are still stored): ${checks.join('; ')}.`,
  ].join('\n');
}

function memorySection(figures: MemoryFigure[]): string {
  const alertmanager = figures.find((f) => f.system === 'Alertmanager');
  const rows = figures.map((f) => [
    f.system,
    `${int(f.alerts)}${f.capped ? ' (capped)' : ''}`,
    `${fixed(f.load.seconds)} s`,
    int(f.load.alertsPerSecond),
    failures(f.load),
    mib(f.idle.current),
    mib(f.afterIngest.treePeak),
    mib(f.settled.treePeak),
    f.system === 'Alertmanager' ? '' : f.settleSeconds === null ? `not all (${int(f.unfiled ?? 0)} left)` : `${fixed(f.settleSeconds)} s`,
    alertmanager && f !== alertmanager && alertmanager.settled.treePeak > 0 ? `${fixed(f.settled.treePeak / alertmanager.settled.treePeak, 2)}×` : '',
  ]);
  return [
    '### Memory',
    '',
    tableOf(['System', 'Alerts accepted', 'Sent in', 'Alerts/s', 'Non-2xx / errors', 'Idle RSS', 'Peak RSS after ingest', 'Peak RSS', 'Filed after', 'vs Alertmanager'], rows),
    '',
    'Peak RSS: VmHWM from /proc/<pid>/status (the process, plus the peak of any child process it started), read after Herald filed every alert ' +
      '(or made no progress for a minute, or BENCH_DEADLINE passed) and after Alertmanager\'s group_wait.',
  ].join('\n');
}

function stormSection(f: StormFigure): string {
  const rows: (string | number)[][] = [
    ['Alerts sent (accepted)', `${int(f.alerts)} (${int(f.accepted)}; ${f.refusedRequests} requests refused) in ${fixed(f.ingestSeconds)} s`],
    ['Channels / groups', `${f.channels} / ${int(f.groups)}`],
    ['Messages posted (parents) / updates / thread replies', `${int(f.parentPosts)} / ${int(f.updates)} / ${int(f.replies)}`],
    ['429s received', int(f.rateLimited)],
    ['Alerts lost', int(f.lost)],
    ['Duplicate posts', int(f.duplicates)],
    ['Dead letters', int(f.deadLetters)],
    ['Time to drain (first request → the last Slack call that told)', seconds(f.drainSeconds)],
    ['Drain confirmed by the database (polled every 250 ms)', seconds(f.confirmedSeconds)],
    ['Ideal (group_wait, then 1 call/s to the busiest channel)', `${fixed(f.idealSeconds)} s (${f.busiestChannelCalls} calls)`],
    ['Drain / ideal', f.drainSeconds === null || f.idealSeconds === 0 ? '—' : `${fixed(f.drainSeconds / f.idealSeconds, 2)}×`],
  ];
  if (f.problems.length > 0) rows.push(['Problems', f.problems.join('; ')]);
  return ['### Storm', '', tableOf(['Figure', 'Value'], rows)].join('\n');
}

function realClientSection(f: RealClientFigure): string {
  return [
    '### Real client (Alertmanager → webhook → Herald → Slack)',
    '',
    tableOf(
      ['Result', 'Alerts / groups', 'Firing shown after', 'Resolved shown after', 'Alert messages', 'Alertmanager webhook notifications (failed)', 'Problems'],
      [[f.passed ? 'pass' : '**FAIL**', `${f.alerts} / ${f.groups}`, seconds(f.firingSeconds), seconds(f.resolvedSeconds), f.parentMessages, `${f.notifications} (${f.failedNotifications})`, f.problems.join('; ') || '—']],
    ),
  ].join('\n');
}

export function renderResults(r: Results): string {
  const parts = [`## Herald benchmark`, '', machineSection(r.machine, r.settings, r.startedAt, r.seconds)];
  if (r.ingest.length > 0) parts.push('', ingestSection(r.ingest));
  if (r.memory.length > 0) parts.push('', memorySection(r.memory));
  if (r.storm) parts.push('', stormSection(r.storm));
  if (r.realClient) parts.push('', realClientSection(r.realClient));
  if (r.notes.length > 0) parts.push('', '### Notes', '', ...r.notes.map((n) => `- ${n}`));
  return `${parts.join('\n')}\n`;
}

/** "non-2xx / errors", with the non-2xx statuses when there were any: "3 (503: 2, 408: 1) / 0". */
function failures(result: LoadResult): string {
  const codes = Object.entries(result.statusCodes)
    .filter(([code]) => !code.startsWith('2'))
    .map(([code, count]) => `${code}: ${count}`);
  return `${result.non2xx}${codes.length > 0 ? ` (${codes.join(', ')})` : ''} / ${result.errors}`;
}
