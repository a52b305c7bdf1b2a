// A 202 is a promise: the alerts are committed before it is sent, so killing Herald right after
// (SIGKILL: no shutdown code runs) loses none of them.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { openDatabase } from '../../src/db/database.js';
import { openSqliteConnection } from '../../src/db/sqliteConnection.js';
import { silentLogger } from '../../src/log.js';
import type { SlackEmulator } from '../emulator/index.js';
import { sqliteKind, testDatabaseKinds, type TestDatabase } from '../helpers/databases.js';
import { freePort, heraldEnv, startEmulator } from '../helpers/herald.js';
import { answer, createToken, postAlerts } from '../helpers/ingest.js';
import { installWorkspace } from '../helpers/install.js';
import { spawnHerald } from '../helpers/process.js';

for (const kind of testDatabaseKinds()) {
  describe(`durable acceptance on ${kind.name}`, () => {
    let emulator: SlackEmulator;
    let database: TestDatabase;

    beforeEach(async () => {
      emulator = await startEmulator();
      database = await kind.create();
    });
    afterEach(async () => {
      await emulator.close();
      await database.drop();
    });

    it('keeps every alert it answered 202 for across a SIGKILL and a restart', async () => {
      const env = heraldEnv({ port: await freePort(), databaseUrl: database.url, emulator });
      const url = env.PUBLIC_URL as string;
      const first = await spawnHerald(env, url);
      // The group keys Herald answered 202 for.
      const promised: string[] = [];
      try {
        await installWorkspace(url, emulator);
        const observer = await openDatabase(database.url, silentLogger());
        const { token } = await createToken(observer.prisma).finally(() => observer.close());
        // Many requests at once; the first 202 kills Herald while the others are still in flight
        // (some of them committed, some not, their answers lost).
        const groupKeys = Array.from({ length: 50 }, (_, i) => `durable-${i}`);
        await Promise.allSettled(
          groupKeys.map(async (groupKey, i) => {
            const body = { groupKey, alerts: [{ status: 'firing', labels: { alertname: 'Durable', n: String(i) }, startsAt: '2024-05-14T09:00:00Z' }] };
            const { status, body: reply } = await answer(await postAlerts(url, 'alertmanager', JSON.stringify(body), { token }));
            if (status !== 202) return;
            assert.equal(reply.accepted, 1);
            promised.push(groupKey);
            first.child.kill('SIGKILL');
          }),
        );
      } finally {
        await first.stop('SIGKILL');
      }
      assert.ok(promised.length > 0, 'at least one 202 before the kill');

      const second = await spawnHerald(env, url);
      try {
        const observer = await openDatabase(database.url, silentLogger());
        try {
          const rows = await observer.prisma.incomingAlert.findMany({ where: { groupKey: { in: promised } } });
          assert.deepEqual(rows.map((row) => row.groupKey).sort(), [...promised].sort());
        } finally {
          await observer.close();
        }
      } finally {
        await second.stop();
      }
    });
  });
}

describe('commits on SQLite', () => {
  it('wait for the disk where a 202 depends on them (synchronous=FULL), not for delivery (NORMAL), also on a file already in WAL mode; checkpoints are left to ingest', async (t) => {
    const { url, drop } = await sqliteKind.create();
    t.after(drop);
    const FULL = 2;
    const NORMAL = 1;
    // Twice: the second open finds the file in WAL mode, where better-sqlite3's SQLite would default to NORMAL everywhere.
    for (const open of ['first', 'second']) {
      const database = await openDatabase(url, silentLogger());
      try {
        const [prismaSetting] = await database.prisma.$queryRawUnsafe<{ synchronous: bigint | number }[]>('PRAGMA synchronous');
        assert.equal(Number(prismaSetting?.synchronous), NORMAL, `Prisma's connection, ${open} open`);
        const [prismaCheckpoints] = await database.prisma.$queryRawUnsafe<{ wal_autocheckpoint: bigint | number }[]>('PRAGMA wal_autocheckpoint');
        assert.equal(Number(prismaCheckpoints?.wal_autocheckpoint), 10_000, `Prisma's connection leaves checkpoints to ingest's thread, ${open} open`);
      } finally {
        await database.close();
      }
      for (const [commits, expected] of [['durable', FULL], ['normal', NORMAL]] as const) {
        const raw = openSqliteConnection(url.slice('file:'.length), commits);
        try {
          assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
          assert.equal(raw.pragma('synchronous', { simple: true }), expected, `a ${commits} connection, ${open} open`);
          // Only ingest's (durable) connection, on a thread of its own, checkpoints at SQLite's usual mark.
          assert.equal(raw.pragma('wal_autocheckpoint', { simple: true }), commits === 'durable' ? 1000 : 10_000, `a ${commits} connection's checkpoint mark`);
        } finally {
          raw.close();
        }
      }
    }
  });
});
