// The OAuth install flow over real HTTP: Herald ⇄ the Slack emulator, on every test database.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BOT_SCOPES } from '../../src/slack/scopes.js';
import { rawDatabaseText, testDatabaseKinds } from '../helpers/databases.js';
import { heraldPerTest } from '../helpers/herald.js';
import { beginInstall, finishInstall, installWorkspace } from '../helpers/install.js';

for (const kind of testDatabaseKinds()) {
  describe(`OAuth install flow on ${kind.name}`, () => {
    const t = heraldPerTest(kind);

    const installations = () => t.herald.herald.database.prisma.installation.findMany();

    it('redirects /slack/install to Slack with the bot scopes, the redirect URL and a state bound to a cookie', async () => {
      const { authorizeUrl, cookie } = await beginInstall(t.herald.url);
      assert.equal(`${authorizeUrl.origin}${authorizeUrl.pathname}`, t.emulator.authorizeUrl);
      assert.deepEqual(authorizeUrl.searchParams.get('scope')?.split(','), BOT_SCOPES);
      assert.equal(authorizeUrl.searchParams.get('client_id'), t.herald.config.slack.clientId);
      assert.equal(authorizeUrl.searchParams.get('redirect_uri'), `${t.herald.url}/slack/oauth_redirect`);
      const state = authorizeUrl.searchParams.get('state');
      assert.ok(state && state.length > 20, 'a state parameter');
      assert.equal(cookie, `slack-app-oauth-state=${state}`);
    });

    it('exchanges the code, stores the installation with its secrets encrypted, and posts the welcome message', async () => {
      const page = await installWorkspace(t.herald.url, t.emulator);
      assert.equal(page.status, 200);
      assert.match(page.html, /Herald is installed in Acme/);
      assert.match(page.html, /#alerts/);

      const exchange = t.emulator.callsTo('oauth.v2.access');
      assert.equal(exchange.length, 1);
      assert.equal(exchange[0]?.response.ok, true);
      const botToken = exchange[0]?.response.access_token as string;
      assert.match(botToken, /^xoxb-/);

      const [row, ...others] = await installations();
      assert.equal(others.length, 0);
      assert.equal(row?.id, 'T0ACME');
      assert.equal(row?.teamName, 'Acme');
      assert.equal(row?.active, true);
      assert.equal(row?.installerUserId, 'U0ADMIN');
      assert.deepEqual(row?.botScopes.split(','), BOT_SCOPES);
      const stored = await t.herald.herald.store.fetchById('T0ACME');
      assert.equal(stored.bot?.token, botToken, 'the stored token decrypts to the one Slack issued');

      const webhookUrl = exchange[0]?.response.incoming_webhook as { url: string };
      const raw = await rawDatabaseText(t.database.url);
      assert.ok(raw.includes('T0ACME'), 'the dump does contain the plain columns');
      assert.ok(!raw.includes(botToken), 'the bot token is not stored in clear');
      assert.ok(!raw.includes(webhookUrl.url), 'the incoming webhook URL is not stored in clear');

      const channels = await t.herald.herald.database.prisma.channel.findMany();
      assert.deepEqual(
        channels.map((c) => [c.installationId, c.channelId, c.name, c.addedBy]),
        [['T0ACME', 'C0ALERTS', 'alerts', 'install']],
      );

      const welcome = t.emulator.callsTo('chat.postMessage');
      assert.equal(welcome.length, 1);
      assert.equal(welcome[0]?.token, botToken);
      assert.equal(welcome[0]?.args.channel, 'C0ALERTS');
      assert.equal(welcome[0]?.response.ok, true);
      assert.match(String(t.emulator.messages('C0ALERTS')[0]?.text), /Herald is installed/);
    });

    it('updates the installation on a re-install instead of adding another', async () => {
      await installWorkspace(t.herald.url, t.emulator);
      const first = (await installations())[0];
      await installWorkspace(t.herald.url, t.emulator);
      const rows = await installations();
      assert.equal(rows.length, 1);
      assert.notEqual(rows[0]?.secret, first?.secret, 'the new tokens replaced the old ones');
      assert.equal((await t.herald.herald.database.prisma.channel.findMany()).length, 1);
    });

    it('stores an Enterprise Grid org-wide install under the enterprise ID', async () => {
      t.emulator.addWorkspace({ id: 'T0GRID', name: 'Grid Team', enterpriseId: 'E0GRID', enterpriseName: 'Grid Org' });
      t.emulator.addUser('T0GRID', { id: 'U0ORGADMIN', name: 'orga', isAdmin: true });
      t.emulator.addChannel('T0GRID', { id: 'C0GRID', name: 'grid-alerts' });
      const page = await installWorkspace(t.herald.url, t.emulator, { teamId: 'T0GRID', userId: 'U0ORGADMIN', channelId: 'C0GRID', enterpriseInstall: true });
      assert.equal(page.status, 200);
      const [row] = await installations();
      assert.equal(row?.id, 'E0GRID');
      assert.equal(row?.isEnterpriseInstall, true);
      assert.equal(row?.enterpriseName, 'Grid Org');
      const stored = await t.herald.herald.store.fetchById('E0GRID');
      assert.match(String(stored.bot?.token), /^xoxb-/);
    });

    it('shows the failure page and stores nothing when the state was tampered with', async () => {
      const { authorizeUrl, cookie } = await beginInstall(t.herald.url);
      const callback = new URL(t.emulator.approve({ query: authorizeUrl.searchParams, teamId: 'T0ACME', userId: 'U0ADMIN', channelId: 'C0ALERTS' }));
      callback.searchParams.set('state', `${callback.searchParams.get('state')}x`);
      const page = await finishInstall(callback.toString(), cookie);
      assert.equal(page.status, 400);
      assert.match(page.html, /expired or was opened in another browser/);
      assert.equal((await installations()).length, 0);
      assert.equal(t.emulator.callsTo('oauth.v2.access').length, 0, 'the code was never exchanged');
    });

    it('refuses a callback without the browser session that started the install', async () => {
      const { authorizeUrl } = await beginInstall(t.herald.url);
      const callback = t.emulator.approve({ query: authorizeUrl.searchParams, teamId: 'T0ACME', userId: 'U0ADMIN', channelId: 'C0ALERTS' });
      const page = await finishInstall(callback, '');
      assert.equal(page.status, 400);
      assert.match(page.html, /Herald was not installed/);
      assert.equal((await installations()).length, 0);
    });

    it('refuses a callback without a code', async () => {
      const { authorizeUrl, cookie } = await beginInstall(t.herald.url);
      const page = await finishInstall(`${t.herald.url}/slack/oauth_redirect?state=${authorizeUrl.searchParams.get('state')}`, cookie);
      assert.equal(page.status, 400);
      assert.match(page.html, /no authorization code/);
      assert.equal((await installations()).length, 0);
    });

    it('says the install was cancelled when the user pressed Cancel on Slack', async () => {
      const { authorizeUrl, cookie } = await beginInstall(t.herald.url);
      const page = await finishInstall(t.emulator.deny(authorizeUrl.searchParams), cookie);
      assert.equal(page.status, 400);
      assert.match(page.html, /cancelled on Slack/);
      assert.equal((await installations()).length, 0);
    });

    it('shows a failure page when Slack refuses the code exchange', async () => {
      const { authorizeUrl, cookie } = await beginInstall(t.herald.url);
      const callback = t.emulator.approve({ query: authorizeUrl.searchParams, teamId: 'T0ACME', userId: 'U0ADMIN', channelId: 'C0ALERTS' });
      await finishInstall(callback, cookie); // the first use consumes the single-use code…
      await t.herald.herald.database.prisma.installation.deleteMany();
      const again = await beginInstall(t.herald.url);
      const replay = new URL(callback);
      replay.searchParams.set('state', again.authorizeUrl.searchParams.get('state') ?? '');
      const page = await finishInstall(replay.toString(), again.cookie); // …so a replay is refused by Slack
      assert.equal(page.status, 502);
      assert.match(page.html, /invalid_code/);
      assert.equal((await installations()).length, 0);
    });
  });
}
