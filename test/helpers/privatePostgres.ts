// A PostgreSQL server of the test's own, in a temporary directory on a free port, for tests that stop
// and start the database under Herald (the machine's shared PostgreSQL is never touched: other tests
// and people use it). PostgreSQL refuses to run as root, so when the tests run as root its commands
// run as the `postgres` user (runuser) and the directory is handed to that user.
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './herald.js';

const run = promisify(execFile);

/** The directory holding initdb and pg_ctl: PG_BIN_DIR, or the newest /usr/lib/postgresql/<version>/bin. */
export function postgresBinDir(): string | null {
  const candidates = process.env.PG_BIN_DIR
    ? [process.env.PG_BIN_DIR]
    : (existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql') : [])
        .filter((version) => /^\d+$/.test(version))
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => join('/usr/lib/postgresql', version, 'bin'));
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')) && existsSync(join(dir, 'postgres'))) ?? null;
}

const isRoot = () => process.getuid?.() === 0;

/** The uid and gid of the `postgres` user, or null when there is none. */
function postgresUser(): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : null;
  } catch {
    return null;
  }
}

function hasRunuser(): boolean {
  try {
    execFileSync('runuser', ['--help'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Why a private PostgreSQL cannot be started here, or null when it can. */
export function privatePostgresUnavailable(): string | null {
  if (postgresBinDir() === null) return 'PostgreSQL server binaries (initdb, pg_ctl) not found; install postgresql or set PG_BIN_DIR';
  if (isRoot()) {
    if (postgresUser() === null) return 'running as root and there is no `postgres` user to run PostgreSQL as';
    if (!hasRunuser()) return 'running as root and `runuser` is missing';
  }
  return null;
}

export interface PrivatePostgres {
  port: number;
  /** A DATABASE_URL for Herald: the `postgres` database, in `schema`. */
  url(schema?: string): string;
  /** Starts the server and waits until it accepts connections. */
  start(): Promise<void>;
  /** `immediate` is a crash: no checkpoint, connections cut, recovery from the WAL at the next start. */
  stop(mode?: 'immediate' | 'fast'): Promise<void>;
  /** The server's log so far, for failure messages. */
  log(): string;
  /** Stops the server if it runs and removes its directory. */
  cleanup(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const reason = privatePostgresUnavailable();
  if (reason !== null) throw new Error(reason);
  const bin = postgresBinDir() as string;
  const root = mkdtempSync(join(tmpdir(), 'herald-pg-'));
  const data = join(root, 'data');
  const sockets = join(root, 'sockets');
  const logFile = join(root, 'postgres.log');
  mkdirSync(sockets);
  const user = isRoot() ? postgresUser() : null;
  if (user) {
    chownSync(root, user.uid, user.gid);
    chownSync(sockets, user.uid, user.gid);
  }
  const as = (command: string, args: string[]) => (user ? run('runuser', ['-u', 'postgres', '--', join(bin, command), ...args]) : run(join(bin, command), args));
  const port = await freePort();
  const serverOptions = `-p ${port} -k ${sockets} -c listen_addresses=127.0.0.1 -c max_connections=60 -c shared_buffers=16MB`;
  let running = false;

  const stopSync = () => {
    if (!running) return;
    try {
      const args = ['stop', '-D', data, '-m', 'immediate', '-w'];
      if (user) execFileSync('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), ...args], { stdio: 'ignore' });
      else execFileSync(join(bin, 'pg_ctl'), args, { stdio: 'ignore' });
    } catch {
      // already stopped
    }
    running = false;
  };
  // A test that dies half-way must not leave a server (or its files) behind.
  const onExit = () => {
    stopSync();
    rmSync(root, { recursive: true, force: true });
  };
  // The test runner ends a file that overruns its timeout with a signal: clean up, then die of it.
  const onSignal = (signal: NodeJS.Signals) => {
    onExit();
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGINT', onSignal);
    process.kill(process.pid, signal);
  };
  process.once('exit', onExit);
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);

  const server: PrivatePostgres = {
    port,
    url: (schema = 'herald') => `postgresql://postgres@127.0.0.1:${port}/postgres?schema=${encodeURIComponent(schema)}`,
    async start() {
      await as('pg_ctl', ['start', '-D', data, '-l', logFile, '-w', '-t', '60', '-o', serverOptions]);
      running = true;
    },
    async stop(mode = 'immediate') {
      await as('pg_ctl', ['stop', '-D', data, '-m', mode, '-w', '-t', '60']);
      running = false;
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    async cleanup() {
      process.removeListener('exit', onExit);
      process.removeListener('SIGTERM', onSignal);
      process.removeListener('SIGINT', onSignal);
      onExit();
    },
  };
  try {
    await as('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    await server.start();
  } catch (error) {
    await server.cleanup();
    throw error;
  }
  return server;
}
