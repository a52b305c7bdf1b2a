// The settings of every SQLite connection Herald keeps open: Prisma's, and the writer thread's two
// (ingest's commits, the delivery planner's transactions). Each connection has a page cache of its
// own.
import BetterSqlite3 from 'better-sqlite3';

/**
 * Page cache per connection, in KiB: SQLite's stock default, 2 MiB. better-sqlite3 builds SQLite
 * with 16 MiB (SQLITE_DEFAULT_CACHE_SIZE=-16000); once the database outgrows them, Herald's three
 * connections hold 48 MiB of pages the operating system's file cache holds anyway. Measured with
 * the bench's memory figure (500,000 alerts, a 1.1 GB database): peak RSS 19 MiB lower, the same
 * alerts/s and CPU per alert.
 */
export const SQLITE_CACHE_KIB = 2000;

/** `PRAGMA cache_size` with a negative value counts KiB, not pages. */
const SQLITE_CACHE_PRAGMA = `cache_size = -${SQLITE_CACHE_KIB}`;

/**
 * When a commit waits for the disk. better-sqlite3 builds SQLite so that a connection opening a
 * database already in WAL mode gets NORMAL (no fsync until a checkpoint) and a fresh one FULL, so
 * Herald says which, per connection:
 * - `durable` (FULL, an fsync of the WAL per commit) for ingest's accept store: a 202 means the
 *   alerts survive a power loss, not only a crash of Herald. Measured with `BENCH_ONLY=ingest npm
 *   run bench` (2026-12-07): about a fifth of single-alert ingest (2,833 against 3,545 alerts/s),
 *   nothing measurable with 100 alerts per request, where group commit spreads the fsync.
 * - `normal` (NORMAL) for delivery's bookkeeping and everything else: a power loss can roll back
 *   only its last commits, to a state delivery redoes (alerts filed again, a call made again; at
 *   worst a message posted twice). The WAL is one file, so the next durable commit makes them
 *   durable too. With FULL here every settled Slack call waited for an fsync, one channel after
 *   another, and the bench's storm drained 0.3 s later.
 */
export type SqliteCommits = 'durable' | 'normal';

/**
 * WAL pages after which a `normal` connection's commit copies the WAL back into the database (a
 * checkpoint, with an fsync) before it returns. Checkpoints are the job of the SQLite writer thread
 * (sqliteWriter/thread.ts: its `durable` connection keeps SQLite's 1,000 pages, and it checkpoints
 * every second besides): on the thread that answers requests a checkpoint blocked everything for
 * 10–15 ms. This higher mark only bounds the WAL should that thread fall behind.
 */
const NORMAL_AUTOCHECKPOINT_PAGES = 10_000;

/** A better-sqlite3 connection with Herald's settings: WAL (readers run beside the writer; it persists in the file), the commits above and the page cache. */
export function openSqliteConnection(path: string, commits: SqliteCommits, options?: BetterSqlite3.Options): BetterSqlite3.Database {
  const db = new BetterSqlite3(path, options);
  try {
    db.pragma('journal_mode = WAL'); // a setting of the file: once set, every connection has it
    for (const pragma of sqlitePragmas(commits)) db.pragma(pragma);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** Herald's settings of each connection, as PRAGMA bodies: also for the one Prisma's adapter opens itself. */
export function sqlitePragmas(commits: SqliteCommits): string[] {
  const durable = commits === 'durable';
  return [
    SQLITE_CACHE_PRAGMA,
    `synchronous = ${durable ? 'FULL' : 'NORMAL'}`,
    ...(durable ? [] : [`wal_autocheckpoint = ${NORMAL_AUTOCHECKPOINT_PAGES}`]),
  ];
}
