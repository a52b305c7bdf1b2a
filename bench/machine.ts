// The machine and the software versions a run measured, printed above the table: figures from
// another machine or another commit are not comparable.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg, totalmem } from 'node:os';
import BetterSqlite3 from 'better-sqlite3';
import { postgresVersion } from './databases.js';
import { ROOT, startScript } from './herald.js';

export interface Machine {
  cpu: string;
  cores: number;
  ramGiB: number;
  node: string;
  sqlite: string;
  postgres: string | null;
  alertmanager: string | null;
  commit: string;
  /** The command Herald runs with: package.json's start script, and BENCH_HERALD_NODE_ARGS if set. */
  start: string;
  /** codeDigest() when the run started. */
  code: string;
  /** Load average (1 min) when the run started: other work on the machine skews every figure. */
  loadAtStart: number;
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match?.[1]) return match[1].trim();
  } catch {
    // not Linux
  }
  return cpus()[0]?.model ?? 'unknown';
}

function sqliteVersion(): string {
  const db = new BetterSqlite3(':memory:');
  try {
    return (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  } finally {
    db.close();
  }
}

/** HEAD's short hash, with a note when the working tree differs from it. */
function commit(): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const head = git('rev-parse', '--short', 'HEAD');
    const changed = git('status', '--porcelain', '--', 'src', 'prisma', 'package.json').split('\n').filter((line) => line.trim() !== '').length;
    return changed > 0 ? `${head} + uncommitted changes to ${changed} file${changed === 1 ? '' : 's'} in src/, prisma/, package.json` : head;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

function startLine(): string {
  const start = startScript();
  const extra = process.env.BENCH_HERALD_NODE_ARGS?.trim();
  return extra ? `${start} (with ${extra} from BENCH_HERALD_NODE_ARGS)` : start;
}

/**
 * A digest of Herald's code as it stands (src/ and prisma/, every file): each Herald process runs
 * the working tree of the moment, so a change between the start and the end of a run is reported.
 */
export function codeDigest(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) hash.update(path).update(readFileSync(path));
    }
  };
  for (const dir of ['src', 'prisma']) walk(join(ROOT, dir));
  return hash.digest('hex').slice(0, 12);
}

export async function describeMachine(p: { postgresUrl: string | null; alertmanager: string | null }): Promise<Machine> {
  return {
    cpu: cpuModel(),
    cores: cpus().length,
    ramGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    sqlite: sqliteVersion(),
    postgres: p.postgresUrl ? await postgresVersion(p.postgresUrl) : null,
    alertmanager: p.alertmanager,
    commit: commit(),
    start: startLine(),
    code: codeDigest(),
    loadAtStart: loadavg()[0] ?? 0,
  };
}
