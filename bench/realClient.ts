// Real client: a real Alertmanager with a webhook_configs receiver pointing at Herald. Alerts are
// posted to Alertmanager firing, then resolved (endsAt now); Alertmanager notifies Herald, Herald
// posts to the emulator. Passes when each group's message appears firing with all its alerts, then
// turns resolved, with no duplicate message.
import { parentMessages } from '../test/helpers/storm.js';
import { startAlertmanager, webhookConfig } from './alertmanager.js';
import { INSTALL_CHANNEL, startBenchHerald, WORKSPACE, type BenchHerald } from './herald.js';
import { alertmanagerApiPayload, newAlerts, resolved, type BenchAlert } from './payloads.js';
import { pollUntil } from './processes.js';
import type { BenchSettings } from './settings.js';

const GROUPS = [
  { alertname: 'RealClientDiskFull', instances: 3 },
  { alertname: 'RealClientHighLatency', instances: 2 },
];
const PHASE_TIMEOUT_MS = 60_000;

export interface RealClientFigure {
  passed: boolean;
  alerts: number;
  groups: number;
  /** From the POST to Alertmanager until every group's message showed all its alerts firing. */
  firingSeconds: number | null;
  /** From the POST of the resolved alerts until every message showed Resolved. */
  resolvedSeconds: number | null;
  parentMessages: number;
  /** Alertmanager's own count of webhook notifications (and failed ones). */
  notifications: number;
  failedNotifications: number;
  problems: string[];
}

async function postToAlertmanager(url: string, alerts: BenchAlert[]): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: alertmanagerApiPayload(alerts) });
  if (response.status !== 200) throw new Error(`Alertmanager answered ${response.status}: ${await response.text()}`);
}

/** The state of each group's message in the emulator, when every group is shown as it stands. */
async function shownStates(herald: BenchHerald, alertsPerGroup: number[]): Promise<string[] | null> {
  const groups = await herald.observer.prisma.alertGroup.findMany({ include: { alerts: { select: { status: true } } }, orderBy: { createdAt: 'asc' } });
  if (groups.length !== alertsPerGroup.length) return null;
  if (groups.some((g) => g.messageTs === null || g.sentVersion < g.version)) return null;
  if ((await herald.observer.prisma.outboxMessage.count({ where: { deadAt: null } })) > 0) return null;
  const counts = groups.map((g) => g.alerts.length).sort();
  if (counts.join() !== [...alertsPerGroup].sort().join()) return null;
  const messages = new Map(parentMessages(herald.emulator, INSTALL_CHANNEL).map((m) => [m.ts, m.state]));
  return groups.map((g) => messages.get(g.messageTs as string) ?? 'missing');
}

async function alertmanagerCounter(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) && line.includes('integration="webhook"'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

export async function measureRealClient(settings: BenchSettings): Promise<RealClientFigure> {
  log('Real client: Alertmanager → webhook → Herald → Slack (emulated)');
  const herald = await startBenchHerald({ label: 'the real-client check', kind: 'sqlite', postgresUrl: null });
  try {
    // Herald's grouping as short as Alertmanager's here, so the figure shows the pipeline, not the timers.
    await herald.observer.prisma.installation.update({ where: { id: WORKSPACE }, data: { groupWaitSeconds: 1, groupIntervalSeconds: 2 } });
    const alertmanager = await startAlertmanager(settings.alertmanagerBinary, webhookConfig(herald.alertmanagerUrl));
    try {
      const problems: string[] = [];
      const groups = GROUPS.map((g) => newAlerts(g.instances, { alertname: g.alertname, severity: 'critical' }));
      const alerts = groups.flat();
      const sizes = groups.map((g) => g.length);

      const firingAt = Date.now();
      await postToAlertmanager(alertmanager.alertsUrl, alerts);
      const firing = await pollUntil(async () => {
        const states = await shownStates(herald, sizes);
        return states?.every((s) => s === 'Firing') ? Date.now() : null;
      }, PHASE_TIMEOUT_MS);
      if (firing === null) problems.push(`the firing messages did not all appear within ${PHASE_TIMEOUT_MS / 1000} s`);

      const resolvedAt = Date.now();
      await postToAlertmanager(alertmanager.alertsUrl, resolved(alerts));
      const resolvedDone = await pollUntil(async () => {
        const states = await shownStates(herald, sizes);
        return states?.every((s) => s === 'Resolved') ? Date.now() : null;
      }, PHASE_TIMEOUT_MS);
      if (resolvedDone === null) problems.push(`the messages did not all turn resolved within ${PHASE_TIMEOUT_MS / 1000} s`);

      const parents = parentMessages(herald.emulator, INSTALL_CHANNEL).length;
      if (parents !== groups.length) problems.push(`${parents} alert messages for ${groups.length} groups`);
      const figure: RealClientFigure = {
        passed: problems.length === 0,
        alerts: alerts.length,
        groups: groups.length,
        firingSeconds: firing === null ? null : (firing - firingAt) / 1000,
        resolvedSeconds: resolvedDone === null ? null : (resolvedDone - resolvedAt) / 1000,
        parentMessages: parents,
        notifications: await alertmanagerCounter(alertmanager.url, 'alertmanager_notifications_total'),
        failedNotifications: await alertmanagerCounter(alertmanager.url, 'alertmanager_notifications_failed_total'),
        problems,
      };
      log(`  ${figure.passed ? 'pass' : 'FAIL'}: firing shown after ${figure.firingSeconds ?? '—'} s, resolved after ${figure.resolvedSeconds ?? '—'} s${problems.length ? `; ${problems.join('; ')}` : ''}`);
      return figure;
    } finally {
      await alertmanager.stop();
    }
  } finally {
    await herald.stop();
  }
}

function log(line: string): void {
  console.error(line);
}
