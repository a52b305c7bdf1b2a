// Herald across process restarts, token rotation and a wrong encryption key.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { WebClient } from '@slack/web-api';
import { loadConfig } from '../../src/config.js';
import { startHerald } from '../../src/herald.js';
import { silentLogger } from '../../src/log.js';
import type { SlackEmulator } from '../emulator/index.js';
import { testDatabaseKinds, type TestDatabase } from '../helpers/databases.js';
import { ENCRYPTION_KEY, freePort, heraldEnv, startEmulator, startTestHerald } from '../helpers/herald.js';
import { installWorkspace } from '../helpers/install.js';
import { spawnHerald } from '../helpers/process.js';

for (const kind of testDatabaseKinds()) {
  describe(`Herald's lifecycle on ${kind.name}`, () => {
    let emulator: SlackEmulator | undefined;
    let database: TestDatabase;

    beforeEach(async () => {
      database = await kind.create();
    });
    afterEach(async () => {
      await emulator?.close();
      await database.drop();
    });

    it('keeps the installation across a restart (new process, same database)', async () => {
      emulator = await startEmulator();
      const port = await freePort();
      const env = heraldEnv({ port, databaseUrl: database.url, emulator });
      const url = env.PUBLIC_URL as string;
      const first = await spawnHerald(env, url);
      try {
        assert.equal((await installWorkspace(url, emulator)).status, 200);
      } finally {
        assert.equal(await first.stop('SIGTERM'), 0, 'a clean shutdown on SIGTERM');
      }
      const second = await spawnHerald(env, url);
      try {
        // Open the same database from the test, with the same key, as a third reader.
        const herald = await startHerald(loadConfig({ ...env, PORT: '0' }), silentLogger());
        try {
          const installation = await herald.store.fetchById('T0ACME');
          assert.equal(installation.bot?.token, emulator.callsTo('oauth.v2.access')[0]?.response.access_token);
        } finally {
          await herald.close();
        }
        assert.equal((await fetch(`${url}/readyz`)).status, 200);
      } finally {
        await second.stop();
      }
    });

    it('refreshes an expiring bot token through Slack before using it, and stores the new one', async () => {
      // Tokens that live one hour are inside @slack/oauth's two-hour refresh window from the start.
      emulator = await startEmulator({ tokenRotation: { expiresInSeconds: 3600 } });
      const { herald, url } = await startTestHerald({ databaseUrl: database.url, emulator });
      try {
        await installWorkspace(url, emulator);
        const issued = emulator.callsTo('oauth.v2.access')[0]?.response;
        assert.ok(issued?.refresh_token, 'the emulator rotates tokens');
        const before = await herald.database.prisma.installation.findUniqueOrThrow({ where: { id: 'T0ACME' } });
        assert.ok(before.botTokenExpiresAt);

        const response = await emulator.sendEvent('T0ACME', { type: 'app_home_opened', user: 'U0ADMIN', channel: 'D0ADMIN', tab: 'home' });
        assert.equal(response.status, 200);

        const refreshes = emulator.callsTo('oauth.v2.access').filter((call) => call.args.grant_type === 'refresh_token');
        assert.equal(refreshes.length, 1);
        assert.equal(refreshes[0]?.args.refresh_token, issued.refresh_token);
        const refreshed = refreshes[0]?.response.access_token as string;
        const stored = await herald.store.fetchById('T0ACME');
        assert.equal(stored.bot?.token, refreshed);
        assert.notEqual(refreshed, issued.access_token);
        assert.equal(stored.bot?.refreshToken, refreshes[0]?.response.refresh_token);
        const after = await herald.database.prisma.installation.findUniqueOrThrow({ where: { id: 'T0ACME' } });
        assert.equal(after.installedAt.getTime(), before.installedAt.getTime(), 'a refresh is not a re-install');
        const check = await new WebClient(refreshed, { slackApiUrl: emulator.apiUrl }).auth.test();
        assert.equal(check.ok, true, 'Slack accepts the refreshed token');
      } finally {
        await herald.close();
      }
    });

    it('refuses to start with a different encryption key than the database was written with', async () => {
      emulator = await startEmulator();
      const port = await freePort();
      const env = heraldEnv({ port, databaseUrl: database.url, emulator });
      const herald = await startHerald(loadConfig(env), silentLogger());
      await herald.close();
      const otherKey = Buffer.alloc(32, 7).toString('base64');
      assert.notEqual(otherKey, ENCRYPTION_KEY);
      await assert.rejects(startHerald(loadConfig({ ...env, HERALD_ENCRYPTION_KEY: otherKey }), silentLogger()), /HERALD_ENCRYPTION_KEY is not the key this database was encrypted with/);
    });
  });
}
