// Prometheus Alertmanager, the yardstick: the Debian package's binary, started on loopback with a
// temporary storage directory, clustering off, and a config the bench writes. The bench installs
// nothing: without the binary the Alertmanager rows are skipped with the command that installs it.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/helpers/herald.js';
import { memoryOf, onCleanup, spawnChild, waitForHttp, type Child, type Memory } from './processes.js';

export const INSTALL_HINT = 'sudo apt-get install prometheus-alertmanager';

/** The binary, or why it cannot be used. */
export function findAlertmanager(binary: string): { binary: string; version: string } | { missing: string } {
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    return { missing: `${binary} not found; install it with: ${INSTALL_HINT}` };
  }
  try {
    const out = execFileSync(binary, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
    return { binary, version: /version (\S+)/.exec(out)?.[1] ?? 'unknown' };
  } catch (error) {
    return { missing: `${binary} does not run (${(error as Error).message.split('\n')[0]}); reinstall it with: ${INSTALL_HINT}` };
  }
}

/**
 * The config used to measure ingest and memory: one route, grouped like Herald's default (by
 * alertname, 10 s wait, 1 min interval), to a receiver with no integrations, so that Alertmanager
 * does all its own work (store, dispatch, aggregation groups) and sends nothing.
 */
export const BLACKHOLE_CONFIG = `
route:
  receiver: blackhole
  group_by: ['alertname']
  group_wait: 10s
  group_interval: 1m
  repeat_interval: 12h
receivers:
  - name: blackhole
`;

/** A config that forwards every group to Herald, as an operator's webhook_configs receiver does. */
export function webhookConfig(url: string): string {
  return `
global:
  resolve_timeout: 10s
route:
  receiver: herald
  group_by: ['alertname']
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 1h
receivers:
  - name: herald
    webhook_configs:
      - url: '${url}'
        send_resolved: true
`;
}

export interface RunningAlertmanager {
  url: string;
  /** POST /api/v2/alerts */
  alertsUrl: string;
  child: Child;
  memory(): Memory;
  /** alertmanager_alerts_received_total, summed over statuses. */
  alertsReceived(): Promise<number>;
  stop(): Promise<void>;
}

export async function startAlertmanager(binary: string, config: string): Promise<RunningAlertmanager> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-bench-am-'));
  const removeDir = onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'alertmanager.yml'), config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawnChild(
    'Alertmanager',
    binary,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=${url}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { env: { PATH: process.env.PATH ?? '' }, cwd: dir },
  );
  await waitForHttp(child, `${url}/-/ready`, 30_000);
  return {
    url,
    alertsUrl: `${url}/api/v2/alerts`,
    child,
    memory: () => memoryOf(child.pid),
    alertsReceived: async () => {
      const text = await (await fetch(`${url}/metrics`)).text();
      return text
        .split('\n')
        .filter((line) => line.startsWith('alertmanager_alerts_received_total'))
        .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    },
    stop: async () => {
      await child.stop();
      await removeDir();
    },
  };
}
