// The emulator driven over real HTTP with Slack's own WebClient, so its answers are known to be
// understood by the real client (errors, rate limits and all).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { type ChatPostMessageArguments, ErrorCode, LogLevel, WebClient, type WebClientOptions } from '@slack/web-api';
import { checkBlocks } from './blockKit.js';
import { type EmulatorOptions, SlackEmulator } from './index.js';

const APP = { clientId: '111.222', clientSecret: 'client-secret', signingSecret: 'signing-secret' };
const REDIRECT = 'https://herald.example/slack/oauth_redirect';
const START = 1_700_000_000_000;

let clock = START;
let emulator: SlackEmulator;

async function startWorld(options: Partial<EmulatorOptions> = {}): Promise<SlackEmulator> {
  clock = START;
  emulator = await SlackEmulator.start({ ...APP, now: () => clock, ...options });
  emulator.addWorkspace({ id: 'T0ACME', name: 'Acme' });
  emulator.addUser('T0ACME', { id: 'U0ADMIN', name: 'ada', isAdmin: true, isOwner: true });
  emulator.addUser('T0ACME', { id: 'U0BOB', name: 'bob' });
  emulator.addChannel('T0ACME', { id: 'C0ALERTS', name: 'alerts', members: ['U0ADMIN'] });
  emulator.addChannel('T0ACME', { id: 'C0RANDOM', name: 'random' });
  emulator.addChannel('T0ACME', { id: 'G0SECRET', name: 'secret', isPrivate: true });
  emulator.addChannel('T0ACME', { id: 'C0OLD', name: 'old', isArchived: true });
  return emulator;
}

/** WebClient logs refused calls to the console; tests stay quiet. */
const silentLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

function client(token?: string, options: WebClientOptions = {}): WebClient {
  return new WebClient(token, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger: silentLogger, ...options });
}

function authorizeQuery(extra: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({ client_id: APP.clientId, scope: 'chat:write,commands,incoming-webhook', redirect_uri: REDIRECT, state: 's-123', ...extra });
}

/** Asserts that a WebClient call fails with this Slack error and returns the answer's data. */
async function slackError(call: Promise<unknown>, error: string): Promise<Record<string, unknown>> {
  try {
    await call;
  } catch (e) {
    const data = (e as { data?: Record<string, unknown> }).data;
    assert.equal(data?.error, error, `expected ${error}, got ${JSON.stringify(data)}`);
    return data;
  }
  return assert.fail(`expected the call to fail with ${error}`);
}

async function post(path: string, body: string, contentType = 'application/json'): Promise<Response> {
  return fetch(emulator.url + path, { method: 'POST', headers: { 'content-type': contentType }, body });
}

afterEach(async () => {
  await emulator?.close();
});

describe('OAuth install', () => {
  beforeEach(() => startWorld());

  it('shows a consent page with the app, its scopes, workspaces and channels, and refuses unknown apps', async () => {
    const page = await fetch(`${emulator.authorizeUrl}?${authorizeQuery()}`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /Herald is requesting permission/);
    assert.match(html, /Send messages as @herald/);
    assert.match(html, /<option value="T0ACME:U0ADMIN">Acme — signed in as ada<\/option>/);
    assert.match(html, /#alerts/);
    assert.doesNotMatch(html, /#old/, 'archived channels cannot take a webhook');
    const unknown = await fetch(`${emulator.authorizeUrl}?${authorizeQuery({ client_id: 'nope' })}`);
    assert.equal(unknown.status, 400);
    assert.match(await unknown.text(), /invalid_client_id/);
  });

  it('submits the consent form to a redirect carrying code and state, or error=access_denied', async () => {
    const form = new URLSearchParams(authorizeQuery());
    form.set('_account', 'T0ACME:U0ADMIN');
    form.set('_channel', 'C0ALERTS');
    form.set('_decision', 'allow');
    const allowed = await fetch(`${emulator.authorizeUrl}/decide?${form}`, { redirect: 'manual' });
    assert.equal(allowed.status, 302);
    const location = new URL(allowed.headers.get('location') ?? '');
    assert.equal(`${location.origin}${location.pathname}`, REDIRECT);
    assert.equal(location.searchParams.get('state'), 's-123');
    assert.ok(location.searchParams.get('code'));

    form.set('_decision', 'deny');
    const denied = await fetch(`${emulator.authorizeUrl}/decide?${form}`, { redirect: 'manual' });
    assert.equal(denied.headers.get('location'), `${REDIRECT}?error=access_denied&state=s-123`);
    assert.equal(emulator.deny(authorizeQuery()), `${REDIRECT}?error=access_denied&state=s-123`);
  });

  it('exchanges a code once for a bot token, a user token and an incoming webhook', async () => {
    const query = authorizeQuery({ user_scope: 'users:read' });
    const code = new URL(emulator.approve({ query, teamId: 'T0ACME', userId: 'U0ADMIN', channelId: 'C0RANDOM' })).searchParams.get('code') ?? '';
    const args = { client_id: APP.clientId, client_secret: APP.clientSecret, code, redirect_uri: REDIRECT };
    const answer = await client().oauth.v2.access(args);
    assert.equal(answer.ok, true);
    assert.match(String(answer.access_token), /^xoxb-/);
    assert.equal(answer.token_type, 'bot');
    assert.equal(answer.scope, 'chat:write,commands,incoming-webhook');
    assert.equal(answer.app_id, 'A0HERALD');
    assert.deepEqual(answer.team, { id: 'T0ACME', name: 'Acme' });
    assert.equal(answer.enterprise, null);
    assert.equal(answer.is_enterprise_install, false);
    assert.equal(answer.authed_user?.id, 'U0ADMIN');
    assert.equal(answer.authed_user?.scope, 'users:read');
    assert.match(String(answer.authed_user?.access_token), /^xoxp-/);
    assert.equal(answer.incoming_webhook?.channel, '#random');
    assert.equal(answer.incoming_webhook?.channel_id, 'C0RANDOM');
    assert.ok(answer.incoming_webhook?.url?.startsWith(`${emulator.url}services/T0ACME/B`));
    assert.equal(answer.bot_user_id, emulator.botUserId('T0ACME'));

    const me = await client(String(answer.access_token)).auth.test();
    assert.equal(me.team_id, 'T0ACME');
    assert.equal(me.user_id, answer.bot_user_id);
    assert.match(String(me.bot_id), /^B/);
    assert.equal(me.url, 'https://acme.slack.com/');

    await slackError(client().oauth.v2.access(args), 'invalid_code');
    assert.equal(emulator.callsTo('oauth.v2.access').length, 2);

    // The webhook posts into the channel the bot joined at install.
    const hook = await post(String(answer.incoming_webhook?.url).slice(emulator.url.length), JSON.stringify({ text: 'from the webhook' }));
    assert.equal(hook.status, 200);
    assert.equal(await hook.text(), 'ok');
    assert.equal(emulator.messages('C0RANDOM')[0]?.text, 'from the webhook');
    assert.equal(emulator.messages('C0RANDOM')[0]?.source, 'webhook');
  });

  it('checks the client, the redirect_uri and the code lifetime; accepts HTTP Basic client auth', async () => {
    const codeFor = () => new URL(emulator.approve({ query: authorizeQuery(), teamId: 'T0ACME', userId: 'U0ADMIN', channelId: 'C0ALERTS' })).searchParams.get('code') ?? '';
    const base = { client_id: APP.clientId, client_secret: APP.clientSecret, redirect_uri: REDIRECT };
    await slackError(client().oauth.v2.access({ ...base, client_secret: 'wrong', code: codeFor() }), 'bad_client_secret');
    await slackError(client().oauth.v2.access({ ...base, client_id: '999', code: codeFor() }), 'invalid_client_id');
    await slackError(client().oauth.v2.access({ ...base, redirect_uri: 'https://evil.example/cb', code: codeFor() }), 'bad_redirect_uri');
    const stale = codeFor();
    clock += 11 * 60 * 1000;
    await slackError(client().oauth.v2.access({ ...base, code: stale }), 'invalid_code');

    const basic = await fetch(`${emulator.apiUrl}oauth.v2.access`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${APP.clientId}:${APP.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ code: codeFor(), redirect_uri: REDIRECT }).toString(),
    });
    assert.equal(((await basic.json()) as { ok: boolean }).ok, true);
    assert.throws(() => emulator.approve({ query: authorizeQuery(), teamId: 'T0ACME', userId: 'U0ADMIN' }), /pick a channel/);
    assert.throws(() => emulator.approve({ query: authorizeQuery({ client_id: 'x' }), teamId: 'T0ACME', userId: 'U0ADMIN', channelId: 'C0ALERTS' }), /invalid_client_id/);
  });

  it('reports an org-wide install with the enterprise and no team', async () => {
    emulator.addWorkspace({ id: 'T0GRID', name: 'Grid', enterpriseId: 'E0GRID', enterpriseName: 'Grid Org' });
    emulator.addUser('T0GRID', { id: 'U0ORG', name: 'org-admin' });
    emulator.addChannel('T0GRID', { id: 'C0GRID', name: 'grid' });
    const code = new URL(emulator.approve({ query: authorizeQuery(), teamId: 'T0GRID', userId: 'U0ORG', channelId: 'C0GRID', enterpriseInstall: true })).searchParams.get('code') ?? '';
    const answer = await client().oauth.v2.access({ client_id: APP.clientId, client_secret: APP.clientSecret, code, redirect_uri: REDIRECT });
    assert.equal(answer.team, null);
    assert.deepEqual(answer.enterprise, { id: 'E0GRID', name: 'Grid Org' });
    assert.equal(answer.is_enterprise_install, true);
    const me = await client(String(answer.access_token)).auth.test();
    assert.equal(me.enterprise_id, 'E0GRID');
    assert.equal(me.is_enterprise_install, true);
  });
});

describe('token rotation', () => {
  beforeEach(() => startWorld({ tokenRotation: { expiresInSeconds: 3600 } }));

  it('issues expiring tokens, refreshes them once per refresh token, and answers token_expired', async () => {
    const code = new URL(emulator.approve({ query: authorizeQuery(), teamId: 'T0ACME', userId: 'U0ADMIN', channelId: 'C0ALERTS' })).searchParams.get('code') ?? '';
    const first = await client().oauth.v2.access({ client_id: APP.clientId, client_secret: APP.clientSecret, code, redirect_uri: REDIRECT });
    assert.equal(first.expires_in, 3600);
    assert.match(String(first.refresh_token), /^xoxe-1-/);
    assert.match(String(first.access_token), /^xoxe\.xoxb-/);

    const refresh = { client_id: APP.clientId, client_secret: APP.clientSecret, grant_type: 'refresh_token' as const, refresh_token: String(first.refresh_token) };
    const second = await client().oauth.v2.access(refresh);
    assert.equal(second.token_type, 'bot');
    assert.notEqual(second.access_token, first.access_token);
    assert.notEqual(second.refresh_token, first.refresh_token);
    assert.equal(second.bot_user_id, first.bot_user_id);
    await slackError(client().oauth.v2.access(refresh), 'invalid_refresh_token');

    clock += 3600 * 1000;
    await slackError(client(String(second.access_token)).auth.test(), 'token_expired');
  });
});

describe('Web API', () => {
  let bot: string;
  beforeEach(async () => {
    await startWorld();
    bot = emulator.install({ teamId: 'T0ACME', userId: 'U0ADMIN', scopes: ['chat:write', 'users:read', 'channels:read', 'channels:join'] }).botToken;
    emulator.joinChannel('C0ALERTS', emulator.botUserId('T0ACME') ?? '');
  });

  it('names authentication failures as Slack does', async () => {
    await slackError(client().auth.test(), 'not_authed');
    await slackError(client('xoxb-made-up').auth.test(), 'invalid_auth');
    const data = await slackError(client(bot).conversations.info({ channel: 'G0SECRET' }), 'channel_not_found');
    assert.equal(data.error, 'channel_not_found', 'a private channel the bot is not in looks absent');
    emulator.joinChannel('G0SECRET', emulator.botUserId('T0ACME') ?? '');
    const scope = await slackError(client(bot).conversations.info({ channel: 'G0SECRET' }), 'missing_scope');
    assert.equal(scope.needed, 'groups:read');
    assert.equal(scope.provided, 'chat:write,users:read,channels:read,channels:join');
    const body = await (await post('api/nonexistent.method', '{}')).json();
    assert.deepEqual(body, { ok: false, error: 'unknown_method' });
  });

  it('answers account_inactive for a deactivated user’s token and token_revoked after auth.revoke', async () => {
    const { userToken } = emulator.install({ teamId: 'T0ACME', userId: 'U0BOB', scopes: ['chat:write'], userScopes: ['chat:write'] });
    assert.ok(userToken);
    emulator.addUser('T0ACME', { id: 'U0BOB', name: 'bob', deleted: true });
    await slackError(client(userToken).auth.test(), 'account_inactive');
    await client(bot).auth.revoke();
    await slackError(client(bot).auth.test(), 'token_revoked');
  });

  it('posts messages with unique, increasing ts per channel, threads and updates them', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Disk full*' } }];
    const first = await client(bot).chat.postMessage({ channel: 'C0ALERTS', text: 'Disk full', blocks });
    const second = await client(bot).chat.postMessage({ channel: 'C0ALERTS', text: 'again' });
    assert.match(String(first.ts), /^1700000000\.\d{6}$/);
    assert.ok(Number(second.ts) > Number(first.ts), 'ts values in a channel are unique and increasing');
    assert.equal(first.channel, 'C0ALERTS');
    assert.deepEqual(first.message?.blocks, blocks);

    await client(bot).chat.postMessage({ channel: 'C0ALERTS', text: 'reply', thread_ts: String(first.ts) });
    const updated = await client(bot).chat.update({ channel: 'C0ALERTS', ts: String(first.ts), text: 'Disk fine' });
    assert.equal(updated.ts, first.ts);

    const [message, , reply] = emulator.messages('C0ALERTS');
    assert.equal(message?.text, 'Disk fine');
    assert.deepEqual(message?.blocks, blocks, 'blocks left out of chat.update are kept');
    assert.equal(message?.edits, 1);
    assert.equal(message?.replyCount, 1);
    assert.equal(reply?.thread_ts, first.ts);
    assert.equal(emulator.callsTo('chat.postMessage')[0]?.token, bot);
    assert.deepEqual(emulator.callsTo('chat.postMessage')[0]?.args.blocks, blocks, 'recorded args have JSON fields decoded');

    await slackError(client(bot).chat.update({ channel: 'C0ALERTS', ts: '1.000001', text: 'x' }), 'message_not_found');
    const { userToken } = emulator.install({ teamId: 'T0ACME', userId: 'U0ADMIN', scopes: ['chat:write'], userScopes: ['chat:write'] });
    await slackError(client(userToken).chat.update({ channel: 'C0ALERTS', ts: String(first.ts), text: 'mine now' }), 'cant_update_message');
  });

  it('threads replies, records reply_broadcast, and posts a reply whose parent is missing top-level, as Slack does', async () => {
    const web = client(bot);
    // A second apart, so the per-channel rate limit stays out of the way.
    const post = (args: { text: string; thread_ts?: string; reply_broadcast?: boolean }) => {
      clock += 1000;
      // Cast: WebClient's types (rightly) forbid reply_broadcast without thread_ts, which is tested here.
      return web.chat.postMessage({ channel: 'C0ALERTS', ...args } as ChatPostMessageArguments);
    };
    const parent = await post({ text: 'Disk full' });
    const broadcast = await post({ text: 'resolved', thread_ts: String(parent.ts), reply_broadcast: true });
    assert.equal(broadcast.message?.thread_ts, parent.ts);
    assert.equal(broadcast.message?.subtype, 'thread_broadcast');
    await post({ text: 'still firing', thread_ts: String(parent.ts) });
    await post({ text: 'no thread, nothing to broadcast', reply_broadcast: true });

    // Slack has no thread_not_found here: the message goes to the channel, and only the missing
    // message.thread_ts in the answer tells the app its reply was un-threaded.
    const orphan = await post({ text: 'reply to nothing', thread_ts: '1600000000.000100' });
    assert.equal(orphan.ok, true);
    assert.equal(orphan.message?.thread_ts, undefined);
    assert.equal(emulator.callsTo('chat.postMessage').at(-1)?.args.thread_ts, '1600000000.000100', 'the call record keeps what was asked');
    const gone = await post({ text: 'about to be deleted' });
    emulator.deleteMessage('C0ALERTS', String(gone.ts));
    const afterDelete = await post({ text: 'reply to a deleted message', thread_ts: String(gone.ts), reply_broadcast: true });
    assert.equal(afterDelete.message?.thread_ts, undefined);

    const shape = emulator.messages('C0ALERTS').map((m) => [m.text, m.thread_ts, m.replyBroadcast, m.replyCount]);
    assert.deepEqual(shape, [
      ['Disk full', undefined, undefined, 2],
      ['resolved', parent.ts, true, 0],
      ['still firing', parent.ts, undefined, 0],
      ['no thread, nothing to broadcast', undefined, undefined, 0],
      ['reply to nothing', undefined, undefined, 0],
      ['reply to a deleted message', undefined, undefined, 0],
    ]);
  });

  it('answers message_not_found when chat.update targets a deleted message', async () => {
    const web = client(bot);
    const parent = await web.chat.postMessage({ channel: 'C0ALERTS', text: 'Disk full' });
    const reply = await web.chat.postMessage({ channel: 'C0ALERTS', text: 'details', thread_ts: String(parent.ts) });
    const removed = emulator.deleteMessage('C0ALERTS', String(reply.ts));
    assert.equal(removed.text, 'details');
    assert.equal(emulator.messages('C0ALERTS')[0]?.replyCount, 0, 'a deleted reply no longer counts');
    emulator.deleteMessage('C0ALERTS', String(parent.ts));
    await slackError(web.chat.update({ channel: 'C0ALERTS', ts: String(parent.ts), text: 'Disk fine' }), 'message_not_found');
    assert.deepEqual(emulator.messages('C0ALERTS'), []);
    assert.throws(() => emulator.deleteMessage('C0ALERTS', String(parent.ts)), /No message/);
  });

  it('answers as Slack does after setup changes: archived, bot removed, bot deactivated, uninstalled', async () => {
    const web = client(bot);
    const botUser = emulator.botUserId('T0ACME') ?? '';
    const posted = await web.chat.postMessage({ channel: 'C0ALERTS', text: 'Disk full' });
    emulator.archiveChannel('C0ALERTS');
    await slackError(web.chat.postMessage({ channel: 'C0ALERTS', text: 'x' }), 'is_archived');
    await slackError(web.chat.update({ channel: 'C0ALERTS', ts: String(posted.ts), text: 'x' }), 'is_archived');

    emulator.joinChannel('C0RANDOM', botUser);
    await web.chat.postMessage({ channel: 'C0RANDOM', text: 'in' });
    emulator.removeFromChannel('C0RANDOM');
    await slackError(web.chat.postMessage({ channel: 'C0RANDOM', text: 'out' }), 'not_in_channel');
    emulator.joinChannel('G0SECRET', botUser);
    emulator.removeFromChannel('G0SECRET', botUser);
    await slackError(web.chat.postMessage({ channel: 'G0SECRET', text: 'out' }), 'channel_not_found');

    emulator.deactivateUser('T0ACME', botUser);
    await slackError(web.auth.test(), 'account_inactive');
    await emulator.uninstall('T0ACME');
    await slackError(web.chat.postMessage({ channel: 'C0ALERTS', text: 'x' }), 'token_revoked');
  });

  it('refuses channels the bot cannot post in, and content Slack would refuse', async () => {
    const web = client(bot);
    await slackError(web.chat.postMessage({ channel: 'C0RANDOM', text: 'hi' }), 'not_in_channel');
    await slackError(web.chat.postMessage({ channel: 'G0SECRET', text: 'hi' }), 'channel_not_found');
    await slackError(web.chat.postMessage({ channel: 'C0NOPE', text: 'hi' }), 'channel_not_found');
    emulator.archiveChannel('C0ALERTS');
    await slackError(web.chat.postMessage({ channel: 'C0ALERTS', text: 'hi' }), 'is_archived');
    emulator.addChannel('T0ACME', { id: 'C0NEW', name: 'new', members: [emulator.botUserId('T0ACME') ?? ''] });
    await slackError(web.chat.postMessage({ channel: 'C0NEW', text: '' }), 'no_text');
    await slackError(web.chat.postMessage({ channel: 'C0NEW', text: 'x'.repeat(40_001) }), 'msg_too_long');
    const header = { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } };
    const tooLong = await slackError(web.chat.postMessage({ channel: 'C0NEW', text: 'x', blocks: [header] }), 'invalid_blocks');
    assert.deepEqual((tooLong.response_metadata as { messages: string[] }).messages, ['[ERROR] header text must be at most 150 characters [json-pointer:/blocks/0/text]']);
    const divider = { type: 'divider' };
    await slackError(web.chat.postMessage({ channel: 'C0NEW', text: 'x', blocks: Array(51).fill(divider) }), 'invalid_blocks');
    emulator.deleteChannel('C0NEW');
    await slackError(web.chat.postMessage({ channel: 'C0NEW', text: 'hi' }), 'channel_not_found');
    await slackError(web.chat.postMessage({ channel: 'C0RANDOM', text: 'hi' }), 'not_in_channel');
    assert.equal(emulator.messages().length, 0);
  });

  it('answers missing_scope without chat:write; a reinstall adds scopes to the same token; chat:write.public posts without joining', async () => {
    emulator.addWorkspace({ id: 'T0BETA', name: 'Beta' });
    emulator.addUser('T0BETA', { id: 'U0BETA', name: 'bea' });
    emulator.addChannel('T0BETA', { id: 'C0BETA', name: 'beta-alerts' });
    const first = emulator.install({ teamId: 'T0BETA', userId: 'U0BETA', scopes: ['chat:write.public'] });
    const data = await slackError(client(first.botToken).chat.postMessage({ channel: 'C0BETA', text: 'hi' }), 'missing_scope');
    assert.equal(data.needed, 'chat:write');
    assert.equal(data.provided, 'chat:write.public');
    const second = emulator.install({ teamId: 'T0BETA', userId: 'U0BETA', scopes: ['chat:write'] });
    assert.equal(second.botToken, first.botToken, 'Slack keeps the bot token across reinstalls');
    assert.deepEqual(second.scopes, ['chat:write.public', 'chat:write']);
    const posted = await client(first.botToken).chat.postMessage({ channel: '#beta-alerts', text: 'hi' });
    assert.equal(posted.channel, 'C0BETA', 'channels can be named');
  });

  it('keeps message metadata, and refuses metadata that is not an event_type with an event_payload object', async () => {
    const web = client(bot);
    const metadata = { event_type: 'herald_outbox', event_payload: { outbox_id: 7 } };
    const posted = await web.chat.postMessage({ channel: 'C0ALERTS', text: 'Disk full', metadata });
    assert.deepEqual(emulator.messages('C0ALERTS')[0]?.metadata, metadata);
    assert.deepEqual(posted.message?.metadata, metadata);
    const malformed: unknown[] = ['not json', '[]', { event_payload: {} }, { event_type: '', event_payload: {} }, { event_type: 'x' }, { event_type: 'x', event_payload: [1] }, { event_type: 1, event_payload: {} }];
    for (const bad of malformed) {
      await slackError(web.apiCall('chat.postMessage', { channel: 'C0ALERTS', text: 'x', metadata: bad }), 'invalid_metadata_format');
    }
    assert.equal(emulator.messages('C0ALERTS').length, 1, 'nothing posted with bad metadata');
  });

  it('reads a channel’s history newest first, in pages, with metadata only when asked, as Slack does', async () => {
    const web = client(bot);
    const botUser = emulator.botUserId('T0ACME') ?? '';
    const scope = await slackError(web.conversations.history({ channel: 'C0ALERTS' }), 'missing_scope');
    assert.equal(scope.needed, 'channels:history,groups:history');
    emulator.install({ teamId: 'T0ACME', userId: 'U0ADMIN', scopes: ['channels:history'] }); // the same token gains it
    await slackError(web.conversations.history({ channel: 'C0RANDOM' }), 'not_in_channel'); // public, bot not in it
    await slackError(web.conversations.history({ channel: 'G0SECRET' }), 'channel_not_found'); // private, bot not in it
    await slackError(web.conversations.history({ channel: 'C0NOPE' }), 'channel_not_found');
    emulator.joinChannel('G0SECRET', botUser);
    assert.equal((await slackError(web.conversations.history({ channel: 'G0SECRET' }), 'missing_scope')).needed, 'groups:history');

    const ts: string[] = [];
    for (let i = 0; i < 5; i++) {
      clock += 1000;
      const metadata = { event_type: 'herald_outbox', event_payload: { outbox_id: i } };
      ts.push(String((await web.chat.postMessage({ channel: 'C0ALERTS', text: `message ${i}`, metadata })).ts));
    }
    clock += 1000;
    await web.chat.postMessage({ channel: 'C0ALERTS', text: 'in the thread only', thread_ts: String(ts[0]) });
    const broadcast = await web.chat.postMessage({ channel: 'C0ALERTS', text: 'also in the channel', thread_ts: String(ts[0]), reply_broadcast: true });

    const all = await web.conversations.history({ channel: 'C0ALERTS' });
    assert.deepEqual(all.messages?.map((m) => m.text), ['also in the channel', 'message 4', 'message 3', 'message 2', 'message 1', 'message 0'], 'newest first; thread replies stay in the thread');
    assert.equal(all.has_more, false);
    assert.equal(all.messages?.[1]?.metadata, undefined, 'no metadata unless include_all_metadata');
    assert.equal(all.messages?.[5]?.reply_count, 2);
    assert.equal(all.messages?.[0]?.subtype, 'thread_broadcast');
    assert.equal(all.messages?.[0]?.ts, broadcast.ts);

    const first = await web.conversations.history({ channel: 'C0ALERTS', oldest: ts[1], limit: 2, include_all_metadata: true });
    assert.deepEqual(first.messages?.map((m) => m.text), ['also in the channel', 'message 4']);
    assert.deepEqual(first.messages?.[1]?.metadata, { event_type: 'herald_outbox', event_payload: { outbox_id: 4 } });
    assert.equal(first.has_more, true);
    const cursor = first.response_metadata?.next_cursor;
    assert.ok(cursor);
    const second = await web.conversations.history({ channel: 'C0ALERTS', oldest: ts[1], limit: 2, cursor });
    assert.deepEqual(second.messages?.map((m) => m.text), ['message 3', 'message 2'], 'oldest itself is left out');
    assert.equal(second.has_more, false);
    const inclusive = await web.conversations.history({ channel: 'C0ALERTS', oldest: ts[1], latest: ts[3], inclusive: true });
    assert.deepEqual(inclusive.messages?.map((m) => m.text), ['message 3', 'message 2', 'message 1']);
    await slackError(web.conversations.history({ channel: 'C0ALERTS', cursor: 'bm9wZQ==' }), 'invalid_cursor');
    await slackError(web.conversations.history({ channel: 'C0ALERTS', oldest: 'yesterday' }), 'invalid_ts_oldest');
  });

  it('reads a thread with conversations.replies: the parent, then the replies oldest first', async () => {
    const web = client(bot);
    emulator.install({ teamId: 'T0ACME', userId: 'U0ADMIN', scopes: ['channels:history'] });
    const parent = await web.chat.postMessage({ channel: 'C0ALERTS', text: 'Disk full' });
    clock += 1000;
    const metadata = { event_type: 'herald_outbox', event_payload: { outbox_id: 9 } };
    const reply = await web.chat.postMessage({ channel: 'C0ALERTS', text: 'resolved', thread_ts: String(parent.ts), metadata });
    clock += 1000;
    await web.chat.postMessage({ channel: 'C0ALERTS', text: 'again', thread_ts: String(parent.ts) });
    const thread = await web.conversations.replies({ channel: 'C0ALERTS', ts: String(reply.ts), include_all_metadata: true });
    assert.deepEqual(thread.messages?.map((m) => m.text), ['Disk full', 'resolved', 'again'], 'a reply’s ts names its whole thread');
    assert.deepEqual(thread.messages?.[1]?.metadata, metadata);
    const paged = await web.conversations.replies({ channel: 'C0ALERTS', ts: String(parent.ts), limit: 2 });
    assert.equal(paged.has_more, true);
    const rest = await web.conversations.replies({ channel: 'C0ALERTS', ts: String(parent.ts), limit: 2, cursor: paged.response_metadata?.next_cursor });
    assert.deepEqual(rest.messages?.map((m) => m.text), ['again']);
    await slackError(web.conversations.replies({ channel: 'C0ALERTS', ts: '1.000001' }), 'thread_not_found');
  });

  it('limits chat.postMessage per channel with 429 and Retry-After, which WebClient reports as rate limited', async () => {
    const web = client(bot);
    for (let i = 0; i < 3; i++) await web.chat.postMessage({ channel: 'C0ALERTS', text: `burst ${i}` });
    await assert.rejects(web.chat.postMessage({ channel: 'C0ALERTS', text: 'one too many' }), (error: { code?: string; retryAfter?: number }) => {
      assert.equal(error.code, ErrorCode.RateLimitedError);
      assert.equal(error.retryAfter, 1);
      return true;
    });
    const limited = emulator.callsTo('chat.postMessage').at(-1);
    assert.equal(limited?.status, 429);
    assert.deepEqual(limited?.response, { ok: false, error: 'ratelimited' });
    emulator.joinChannel('C0RANDOM', emulator.botUserId('T0ACME') ?? '');
    await web.chat.postMessage({ channel: 'C0RANDOM', text: 'other channels have their own bucket' });
    clock += 1000;
    await web.chat.postMessage({ channel: 'C0ALERTS', text: 'a second later' });
    assert.equal(emulator.messages('C0ALERTS').length, 4);
  });

  it('describes users and channels, and joins public channels only', async () => {
    const { user } = await client(bot).users.info({ user: 'U0ADMIN' });
    assert.equal(user?.is_admin, true);
    assert.equal(user?.is_owner, true);
    assert.equal(user?.is_primary_owner, false);
    assert.equal(user?.is_bot, false);
    assert.equal(user?.team_id, 'T0ACME');
    assert.equal(user?.name, 'ada');
    await slackError(client(bot).users.info({ user: 'U0GHOST' }), 'user_not_found');

    const info = await client(bot).conversations.info({ channel: 'C0RANDOM' });
    assert.equal(info.channel?.is_member, false);
    assert.equal(info.channel?.is_private, false);
    assert.equal(info.channel?.name, 'random');
    const joined = await client(bot).conversations.join({ channel: 'C0RANDOM' });
    assert.equal(joined.channel?.is_member, true);
    await slackError(client(bot).conversations.join({ channel: 'G0SECRET' }), 'method_not_supported_for_channel_type');
    await slackError(client(bot).conversations.join({ channel: 'C0OLD' }), 'is_archived');
  });

  it('keeps the last published App Home view per user and checks views', async () => {
    const view = { type: 'home' as const, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Hello' } }] };
    await client(bot).views.publish({ user_id: 'U0ADMIN', view });
    assert.deepEqual(emulator.homeViews.get('T0ACME:U0ADMIN'), view);
    await slackError(client(bot).views.publish({ user_id: 'U0ADMIN', view: { ...view, type: 'modal' } as never }), 'invalid_arguments');
    await slackError(client(bot).views.publish({ user_id: 'U0ADMIN', view: { type: 'home', blocks: Array(101).fill({ type: 'divider' }) } }), 'invalid_arguments');
    await slackError(client(bot).views.open({ trigger_id: '123.456', view: { type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: [] } }), 'invalid_trigger_id');
  });

  it('injects failures for a number of calls, then answers normally', async () => {
    emulator.setFailure('chat.postMessage', { status: 500, times: 1 });
    await assert.rejects(client(bot).chat.postMessage({ channel: 'C0ALERTS', text: 'a' }), (error: { code?: string; statusCode?: number }) => {
      assert.equal(error.code, ErrorCode.HTTPError);
      assert.equal(error.statusCode, 500);
      return true;
    });
    emulator.setFailure('chat.postMessage', { error: 'fatal_error' });
    await slackError(client(bot).chat.postMessage({ channel: 'C0ALERTS', text: 'b' }), 'fatal_error');
    emulator.setFailure('chat.postMessage', null);
    emulator.setFailure('auth.test', { delayMs: 2000, times: 1 });
    const slow = client(bot, { timeout: 100 });
    await assert.rejects(slow.auth.test(), (error: { code?: string }) => error.code === ErrorCode.RequestError);
    assert.equal((await client(bot).chat.postMessage({ channel: 'C0ALERTS', text: 'c' })).ok, true);
    assert.deepEqual(emulator.messages('C0ALERTS').map((m) => m.text), ['c']);
  });

  it('never crashes on malformed bodies', async () => {
    const badJson = await post('api/chat.postMessage', '{"channel":', 'application/json');
    assert.equal(badJson.status, 200);
    assert.deepEqual(await badJson.json(), { ok: false, error: 'invalid_arguments' });
    const blocksNotJson = await fetch(`${emulator.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bot}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'channel=C0ALERTS&blocks=%5Bnot-json',
    });
    assert.equal(((await blocksNotJson.json()) as { error: string }).error, 'invalid_blocks_format');
    const webhook = await post('services/T0ACME/B0/nothing', 'not json');
    assert.equal(webhook.status, 404);
    assert.equal((await post('api/auth.test', '[1,2]')).status, 200);
  });
});

describe('Slack → app requests', () => {
  interface Received {
    path: string;
    headers: IncomingHttpHeaders;
    body: string;
  }
  let app: Server;
  let received: Received[] = [];
  let answer = { status: 200, body: '' };

  beforeEach(async () => {
    await startWorld();
    received = [];
    answer = { status: 200, body: '' };
    clock = Date.now();
    app = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        received.push({ path: req.url ?? '', headers: req.headers, body });
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
      });
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    emulator.eventsUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/slack/events`;
  });

  afterEach(() => new Promise<void>((resolve) => app.close(() => resolve())));

  function verify(r: Received): void {
    const ts = String(r.headers['x-slack-request-timestamp']);
    const expected = 'v0=' + createHmac('sha256', APP.signingSecret).update(`v0:${ts}:${r.body}`).digest('hex');
    assert.equal(r.headers['x-slack-signature'], expected);
    assert.ok(Math.abs(Number(ts) - Date.now() / 1000) < 5);
  }

  it('sends signed event_callback envelopes and returns the app’s response', async () => {
    const { botUserId } = emulator.install({ teamId: 'T0ACME', userId: 'U0ADMIN', scopes: ['chat:write'] });
    answer = { status: 401, body: '' };
    const response = await emulator.sendEvent('T0ACME', { type: 'app_home_opened', user: 'U0ADMIN', tab: 'home' }, { eventTime: 1234 });
    assert.equal(response.status, 401);
    const [event] = received;
    assert.ok(event);
    verify(event);
    assert.equal(event.headers['content-type'], 'application/json');
    const envelope = JSON.parse(event.body) as Record<string, unknown>;
    assert.equal(envelope.type, 'event_callback');
    assert.equal(envelope.team_id, 'T0ACME');
    assert.equal(envelope.api_app_id, 'A0HERALD');
    assert.equal(envelope.event_time, 1234);
    assert.match(String(envelope.event_id), /^Ev/);
    assert.deepEqual(envelope.authorizations, [{ team_id: 'T0ACME', enterprise_id: null, user_id: botUserId, is_bot: true, is_enterprise_install: false }]);
    assert.equal((envelope.event as { type: string }).type, 'app_home_opened');

    await emulator.sendEvent('T0ACME', { type: 'app_mention' }, { signingSecret: 'wrong' });
    assert.notEqual(received[1]?.headers['x-slack-signature'], event.headers['x-slack-signature']);
  });

  it('sends slash commands whose response_url and trigger_id work', async () => {
    const { botToken } = emulator.install({ teamId: 'T0ACME', userId: 'U0ADMIN', scopes: ['chat:write'] });
    answer = { status: 200, body: JSON.stringify({ text: 'ack' }) };
    const response = await emulator.sendCommand({ teamId: 'T0ACME', userId: 'U0ADMIN', channelId: 'C0ALERTS', text: 'list' });
    assert.deepEqual(await response.json(), { text: 'ack' });
    const [command] = received;
    assert.ok(command);
    verify(command);
    const fields = new URLSearchParams(command.body);
    assert.equal(fields.get('command'), '/herald');
    assert.equal(fields.get('text'), 'list');
    assert.equal(fields.get('team_domain'), 'acme');
    assert.equal(fields.get('channel_name'), 'alerts');
    assert.equal(fields.get('user_name'), 'ada');
    const responseUrl = fields.get('response_url') ?? '';
    assert.ok(responseUrl.startsWith(`${emulator.url}commands/response/`));

    const reply = await fetch(responseUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ response_type: 'ephemeral', text: 'Channels: #alerts' }) });
    assert.equal(reply.status, 200);
    assert.deepEqual(emulator.responses.map((r) => [r.channelId, r.userId, r.body]), [['C0ALERTS', 'U0ADMIN', { response_type: 'ephemeral', text: 'Channels: #alerts' }]]);

    const modal = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Silence' }, blocks: [] };
    await client(botToken).views.open({ trigger_id: fields.get('trigger_id') ?? '', view: modal });
    assert.equal(emulator.openedViews[0]?.view.type, 'modal');
    await slackError(client(botToken).views.open({ trigger_id: fields.get('trigger_id') ?? '', view: modal }), 'trigger_exchanged');
  });

  it('sends interactions as a signed payload form with Slack’s fields filled in', async () => {
    await emulator.sendInteraction('T0ACME', { type: 'block_actions', user: { id: 'U0ADMIN' }, channel: { id: 'C0ALERTS' }, actions: [{ action_id: 'ack' }] });
    const [interaction] = received;
    assert.ok(interaction);
    verify(interaction);
    const payload = JSON.parse(new URLSearchParams(interaction.body).get('payload') ?? '{}') as Record<string, unknown>;
    assert.equal(payload.type, 'block_actions');
    assert.deepEqual(payload.team, { id: 'T0ACME', domain: 'acme' });
    assert.equal(payload.api_app_id, 'A0HERALD');
    assert.ok(String(payload.response_url).startsWith(`${emulator.url}commands/response/`));
    assert.ok(payload.trigger_id);
    assert.deepEqual(payload.user, { id: 'U0ADMIN', username: 'ada', name: 'ada', team_id: 'T0ACME' }, 'a known user is described as Slack does');
    assert.deepEqual(emulator.interactions.map((i) => [i.teamId, i.status, i.payload.type]), [['T0ACME', 200, 'block_actions']]);
  });

  it('presses buttons and picks menu options in a posted message with Slack’s block_actions payload', async () => {
    const { botToken, botUserId } = emulator.install({ teamId: 'T0ACME', userId: 'U0ADMIN', scopes: ['chat:write'] });
    emulator.joinChannel('C0ALERTS', botUserId);
    const plain = (text: string) => ({ type: 'plain_text' as const, text });
    const option = (value: string) => ({ text: plain(`Silence ${value}`), value: `${value}:g1` });
    const blocks = [
      { type: 'section', text: { type: 'mrkdwn', text: '*DiskFull* on db-1' } },
      {
        type: 'actions',
        block_id: 'alert-actions',
        elements: [
          { type: 'button', action_id: 'herald_ack', text: plain('Acknowledge'), value: 'g1', style: 'primary' as const },
          { type: 'static_select', action_id: 'herald_silence', placeholder: plain('Silence…'), options: [option('1h'), option('4h')] },
        ],
      },
      { type: 'section', text: { type: 'mrkdwn', text: 'more' }, accessory: { type: 'button', action_id: 'herald_resolve', text: plain('Resolve'), value: 'g1' } },
    ];
    const web = client(botToken);
    const posted = await web.chat.postMessage({ channel: 'C0ALERTS', text: 'DiskFull on db-1', blocks });
    const ts = String(posted.ts);
    const press = { teamId: 'T0ACME', userId: 'U0BOB', channel: 'C0ALERTS', ts };

    const response = await emulator.pressButton({ ...press, actionId: 'herald_ack' });
    assert.equal(response.status, 200);
    const [ack] = received;
    assert.ok(ack);
    verify(ack);
    assert.equal(ack.headers['content-type'], 'application/x-www-form-urlencoded');
    const payload = JSON.parse(new URLSearchParams(ack.body).get('payload') ?? '{}') as Record<string, unknown>;
    assert.equal(payload.type, 'block_actions');
    assert.deepEqual(payload.user, { id: 'U0BOB', username: 'bob', name: 'bob', team_id: 'T0ACME' });
    assert.deepEqual(payload.team, { id: 'T0ACME', domain: 'acme' });
    assert.deepEqual(payload.channel, { id: 'C0ALERTS', name: 'alerts' });
    assert.deepEqual(payload.container, { type: 'message', message_ts: ts, channel_id: 'C0ALERTS', is_ephemeral: false });
    assert.deepEqual(payload.state, { values: {} });
    assert.equal(payload.api_app_id, 'A0HERALD');
    assert.equal(payload.is_enterprise_install, false);
    assert.ok(String(payload.response_url).startsWith(`${emulator.url}commands/response/`));
    assert.ok(payload.trigger_id);
    const message = payload.message as { ts: string; bot_id: string; blocks: { block_id: string }[] };
    assert.equal(message.ts, ts);
    assert.equal(message.bot_id, posted.message?.bot_id);
    assert.deepEqual(message.blocks.map((b) => b.block_id), ['emulator-block-0', 'alert-actions', 'emulator-block-2'], 'every block has a block_id, as Slack gives them');
    const [action] = payload.actions as Record<string, unknown>[];
    assert.match(String(action?.action_ts), /^\d+\.\d{6}$/);
    assert.deepEqual({ ...action, action_ts: undefined }, {
      type: 'button',
      action_id: 'herald_ack',
      block_id: 'alert-actions',
      text: plain('Acknowledge'),
      value: 'g1',
      style: 'primary',
      action_ts: undefined,
    });

    answer = { status: 500, body: '' };
    await emulator.pressButton({ ...press, actionId: 'herald_silence', selectedOptionValue: '4h:g1' });
    const silence = JSON.parse(new URLSearchParams(received[1]?.body).get('payload') ?? '{}') as { actions: Record<string, unknown>[]; state: unknown };
    assert.equal(silence.actions[0]?.type, 'static_select');
    assert.deepEqual(silence.actions[0]?.selected_option, { text: plain('Silence 4h'), value: '4h:g1' });
    assert.deepEqual(silence.state, { values: { 'alert-actions': { herald_silence: { type: 'static_select', selected_option: { text: plain('Silence 4h'), value: '4h:g1' } } } } });
    answer = { status: 200, body: '' };
    await emulator.pressButton({ ...press, actionId: 'herald_resolve', value: 'other' });
    const resolve = JSON.parse(new URLSearchParams(received[2]?.body).get('payload') ?? '{}') as { actions: Record<string, unknown>[] };
    assert.deepEqual([resolve.actions[0]?.block_id, resolve.actions[0]?.value], ['emulator-block-2', 'other'], 'a section accessory, with the value overridden');
    assert.deepEqual(emulator.interactions.map((i) => i.status), [200, 500, 200]);
    assert.ok(emulator.interactions.every((i) => i.durationMs >= 0));

    // Only what the person could see and pick.
    await assert.rejects(emulator.pressButton({ ...press, actionId: 'nope' }), /has no element with action_id nope \(action_ids: herald_ack, herald_silence, herald_resolve\)/);
    await assert.rejects(emulator.pressButton({ ...press, actionId: 'herald_silence', selectedOptionValue: '24h:g1' }), /no option with value 24h:g1/);
    await assert.rejects(emulator.pressButton({ ...press, actionId: 'herald_silence', value: '4h:g1' }), /selectedOptionValue/);
    await assert.rejects(emulator.pressButton({ ...press, actionId: 'herald_ack', selectedOptionValue: 'x' }), /is a button/);
    await web.chat.update({ channel: 'C0ALERTS', ts, text: 'resolved', blocks: [blocks[0] as never] });
    await assert.rejects(emulator.pressButton({ ...press, actionId: 'herald_ack' }), /has no element with action_id herald_ack/);
    emulator.deleteMessage('C0ALERTS', ts);
    await assert.rejects(emulator.pressButton({ ...press, actionId: 'herald_ack' }), /No message/);
    assert.equal(received.length, 3, 'refused presses send nothing');
  });

  it('presses a button in a thread reply, with the thread in the container', async () => {
    const { botToken, botUserId } = emulator.install({ teamId: 'T0ACME', userId: 'U0ADMIN', scopes: ['chat:write'] });
    emulator.joinChannel('C0ALERTS', botUserId);
    const web = client(botToken);
    const parent = await web.chat.postMessage({ channel: 'C0ALERTS', text: 'parent' });
    const button = { type: 'button' as const, action_id: 'herald_ack', text: { type: 'plain_text' as const, text: 'Ack' }, value: 'g2' };
    const reply = await web.chat.postMessage({ channel: 'C0ALERTS', text: 'reply', thread_ts: String(parent.ts), blocks: [{ type: 'actions', elements: [button] }] });
    await emulator.pressButton({ teamId: 'T0ACME', userId: 'U0ADMIN', channel: 'C0ALERTS', ts: String(reply.ts), actionId: 'herald_ack' });
    const payload = JSON.parse(new URLSearchParams(received[0]?.body).get('payload') ?? '{}') as { container: unknown };
    assert.deepEqual(payload.container, { type: 'message', message_ts: reply.ts, channel_id: 'C0ALERTS', is_ephemeral: false, thread_ts: parent.ts });
  });

  it('uninstalls: revokes the tokens and sends app_uninstalled then tokens_revoked', async () => {
    const { botToken, botUserId } = emulator.install({ teamId: 'T0ACME', userId: 'U0ADMIN', scopes: ['chat:write', 'incoming-webhook'], channelId: 'C0ALERTS' });
    await emulator.uninstall('T0ACME');
    await slackError(client(botToken).auth.test(), 'token_revoked');
    const events = received.map((r) => (JSON.parse(r.body) as { event: Record<string, unknown> }).event);
    assert.deepEqual(events.map((e) => e.type), ['app_uninstalled', 'tokens_revoked']);
    assert.deepEqual(events[1]?.tokens, { oauth: [], bot: [botUserId] });
    received.forEach(verify);
  });

  it('uninstalls without telling the app, as when it missed the events: calls answer token_revoked', async () => {
    const { botToken } = emulator.install({ teamId: 'T0ACME', userId: 'U0ADMIN', scopes: ['chat:write'] });
    await emulator.uninstall('T0ACME', { notify: false });
    assert.equal(received.length, 0);
    await slackError(client(botToken).chat.postMessage({ channel: 'C0ALERTS', text: 'x' }), 'token_revoked');
  });
});

describe('pages and parts', () => {
  beforeEach(() => startWorld());

  it('shows workspaces, channels and messages as HTML and JSON, and logs calls without tokens', async () => {
    await emulator.close();
    const lines: string[] = [];
    await startWorld({ log: (line) => lines.push(line) });
    const { botToken } = emulator.install({ teamId: 'T0ACME', userId: 'U0ADMIN', scopes: ['chat:write', 'chat:write.public'] });
    await client(botToken).chat.postMessage({ channel: 'C0RANDOM', text: 'Hello <world>' });
    await slackError(client(botToken).chat.postMessage({ channel: 'C0OLD', text: 'x' }), 'is_archived');
    const html = await (await fetch(emulator.url)).text();
    assert.match(html, /Acme/);
    assert.match(html, /#random/);
    assert.match(html, /Hello &lt;world&gt;/);
    const state = (await (await fetch(`${emulator.url}_emulator/state.json`)).json()) as { workspaces: { channels: { id: string; messages: { text: string }[] }[] }[] };
    const random = state.workspaces[0]?.channels.find((c) => c.id === 'C0RANDOM');
    assert.equal(random?.messages[0]?.text, 'Hello <world>');
    assert.ok(!JSON.stringify(state).includes(botToken), 'the state never shows tokens');
    assert.deepEqual(lines, ['chat.postMessage C0RANDOM ok', 'chat.postMessage C0OLD error=is_archived']);
  });

  it('checks blocks as Slack does', () => {
    const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
    assert.equal(checkBlocks([section('ok')]), null);
    assert.equal(checkBlocks([section('x'.repeat(3001))])?.error, 'invalid_blocks');
    assert.equal(checkBlocks([{ type: 'section', fields: Array(11).fill({ type: 'mrkdwn', text: 'f' }) }])?.error, 'invalid_blocks');
    const button = (value: string) => ({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'b' }, value }] });
    assert.equal(checkBlocks([button('v')]), null);
    assert.equal(checkBlocks([button('v'.repeat(2001))])?.error, 'invalid_blocks');
    assert.equal(checkBlocks([{ ...section('ok'), block_id: 'b'.repeat(256) }])?.error, 'invalid_blocks');
    assert.equal(checkBlocks([{ type: 'sparkles' }])?.error, 'invalid_blocks');
    assert.equal(checkBlocks({ type: 'section' })?.error, 'invalid_blocks_format');
  });
});
