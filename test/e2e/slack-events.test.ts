// Signed requests to /slack/events, and what Slack's uninstall and token-revocation events do.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testDatabaseKinds } from '../helpers/databases.js';
import { SLACK_APP, heraldPerTest } from '../helpers/herald.js';
import { installWorkspace } from '../helpers/install.js';
import { postSigned } from '../helpers/signing.js';

const until = async (condition: () => Promise<boolean>, what: string) => {
  for (let i = 0; i < 100; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`timed out waiting for ${what}`);
};

for (const kind of testDatabaseKinds()) {
  describe(`Slack events on ${kind.name}`, () => {
    const t = heraldPerTest(kind, { install: true });

    const installation = () => t.herald.herald.database.prisma.installation.findUniqueOrThrow({ where: { id: 'T0ACME' } });
    const uninstallEvent = (eventTime: number) =>
      JSON.stringify({
        token: 'legacy',
        team_id: 'T0ACME',
        api_app_id: 'A0HERALD',
        type: 'event_callback',
        event_id: `Ev${eventTime}`,
        event_time: eventTime,
        event: { type: 'app_uninstalled' },
        authorizations: [{ team_id: 'T0ACME', user_id: 'U0BOT', is_bot: true, is_enterprise_install: false }],
      });
    const eventsUrl = () => `${t.herald.url}/slack/events`;
    const now = () => Math.floor(Date.now() / 1000);

    for (const [name, options] of [
      ['a missing signature', { signature: null }],
      ['a wrong signature', { signature: 'v0=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' }],
      ['a signature made with another secret', { secret: 'not-the-signing-secret' }],
      ['a five-minute-old timestamp', { timestamp: now() - 5 * 60 - 1 }],
    ] as const) {
      it(`answers 401 to ${name} and processes nothing`, async () => {
        const response = await postSigned(eventsUrl(), uninstallEvent(now()), { secret: SLACK_APP.signingSecret, ...options });
        assert.equal(response.status, 401);
        await new Promise((resolve) => setTimeout(resolve, 100));
        assert.equal((await installation()).active, true, 'the uninstall event was not acted on');
      });
    }

    it('answers Slack’s URL verification challenge', async () => {
      const response = await postSigned(eventsUrl(), JSON.stringify({ type: 'url_verification', challenge: 'ch4ll3nge', token: 'x' }), { secret: SLACK_APP.signingSecret });
      assert.equal(response.status, 200);
      assert.equal((await response.json()).challenge, 'ch4ll3nge');
    });

    it('deactivates on app_uninstalled then tokens_revoked, and again on repeats', async () => {
      await t.emulator.uninstall('T0ACME'); // sends app_uninstalled, then tokens_revoked
      await until(async () => !(await installation()).active, 'the installation to be deactivated');
      const row = await installation();
      assert.equal(row.secret, '', 'the encrypted tokens are erased');
      assert.ok(row.uninstalledAt);
      await assert.rejects(t.herald.herald.store.fetchById('T0ACME'), /no active installation/);

      const repeat = await postSigned(eventsUrl(), uninstallEvent(now()), { secret: SLACK_APP.signingSecret });
      assert.equal(repeat.status, 200);
      const again = await t.emulator.sendEvent('T0ACME', { type: 'tokens_revoked', tokens: { oauth: [], bot: ['U0BOT'] } });
      assert.equal(again.status, 200);
      assert.equal((await installation()).active, false);
    });

    it('deactivates on tokens_revoked first, then app_uninstalled', async () => {
      const revoked = await t.emulator.sendEvent('T0ACME', { type: 'tokens_revoked', tokens: { oauth: [], bot: ['U0BOT'] } });
      assert.equal(revoked.status, 200);
      await until(async () => !(await installation()).active, 'the installation to be deactivated');
      const uninstalled = await t.emulator.sendEvent('T0ACME', { type: 'app_uninstalled' });
      assert.equal(uninstalled.status, 200);
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal((await installation()).active, false);
    });

    it('ignores a revocation of user tokens only (Herald holds none)', async () => {
      await t.emulator.sendEvent('T0ACME', { type: 'tokens_revoked', tokens: { oauth: ['U0ADMIN'], bot: [] } });
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal((await installation()).active, true);
    });

    it('keeps a re-installed workspace active when the old uninstall events arrive late', async () => {
      const uninstalledAt = now();
      await postSigned(eventsUrl(), uninstallEvent(uninstalledAt), { secret: SLACK_APP.signingSecret });
      await until(async () => !(await installation()).active, 'the installation to be deactivated');
      // event_time has whole seconds: re-install in a later second, as a person would.
      await new Promise((resolve) => setTimeout(resolve, (uninstalledAt + 1) * 1000 - Date.now() + 10));

      await installWorkspace(t.herald.url, t.emulator);
      assert.equal((await installation()).active, true);

      // Slack retries: the same uninstall, and a revocation from before the re-install.
      await postSigned(eventsUrl(), uninstallEvent(uninstalledAt), { secret: SLACK_APP.signingSecret });
      await t.emulator.sendEvent('T0ACME', { type: 'tokens_revoked', tokens: { oauth: [], bot: ['U0BOT'] } }, { eventTime: uninstalledAt });
      await new Promise((resolve) => setTimeout(resolve, 150));
      const row = await installation();
      assert.equal(row.active, true);
      assert.notEqual(row.secret, '');
    });
  });
}
