// Property tests for /slack/events, where Bolt answers Slack's signed requests: random bytes and
// strings signed with the real signing secret (as JSON, as forms, as `payload=` interactivity),
// plausible but malformed events, slash commands and block_actions payloads, and requests signed
// badly or not at all. Herald never answers 5xx, stays up, and writes nothing because of them.
//
// Bolt holds a request it finds no listener for until its 3 s ack timeout (then 404), so requests
// go in concurrent batches; FUZZ_RUNS (default 200) sets how many per property. A failure names
// the request, and prints fast-check's seed to replay it.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it, type TestContext } from 'node:test';
import fc from 'fast-check';
import type { Db } from '../../src/db/database.js';
import { ACTION_IDS, LINK_ACTION_ID_PREFIX } from '../../src/render/index.js';
import { HOME_ACTIONS } from '../../src/slack/views/homeActions.js';
import { testDatabaseKinds } from '../helpers/databases.js';
import { SLACK_APP, heraldPerTest } from '../helpers/herald.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const BATCH = 50;
const TEAM = 'T0ACME';

// ---------------------------------------------------------------------------------------------
// Requests and how they are sent

type Signing = 'valid' | 'decoded' | 'none' | 'no-timestamp' | 'wrong' | 'other-secret' | 'stale' | 'bad-timestamp' | 'other-body' | 'v1';

interface SlackRequest {
  what: string;
  body: Buffer;
  contentType: string | undefined;
  signing: Signing;
}

const now = () => Math.floor(Date.now() / 1000);
const hmac = (secret: string, timestamp: number | string, body: Buffer) => createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex');

function headersFor(r: SlackRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  if (r.contentType !== undefined) headers['content-type'] = r.contentType;
  const timestamp = now();
  const sign = (ts: number | string, body: Buffer, secret = SLACK_APP.signingSecret, version = 'v0') => {
    headers['x-slack-request-timestamp'] = String(ts);
    headers['x-slack-signature'] = `${version}=${hmac(secret, ts, body)}`;
  };
  switch (r.signing) {
    case 'valid': // over the bytes sent, as Slack signs
      sign(timestamp, r.body);
      break;
    case 'decoded': // over the body as Bolt reads it (UTF-8 decoded), so that invalid UTF-8 gets past the check too
      sign(timestamp, Buffer.from(r.body.toString('utf8')));
      break;
    case 'none':
      headers['x-slack-request-timestamp'] = String(timestamp);
      break;
    case 'no-timestamp':
      sign(timestamp, r.body);
      delete headers['x-slack-request-timestamp'];
      break;
    case 'wrong':
      headers['x-slack-request-timestamp'] = String(timestamp);
      headers['x-slack-signature'] = `v0=${'0123456789abcdef'.repeat(4)}`;
      break;
    case 'other-secret':
      sign(timestamp, r.body, 'not-the-signing-secret');
      break;
    case 'stale': // five minutes and a second old, or much older
      sign(timestamp - 301 - (r.body.length % 100_000), r.body);
      break;
    case 'bad-timestamp':
      sign('soon', r.body);
      break;
    case 'other-body':
      sign(timestamp, Buffer.concat([r.body, Buffer.from(' ')]));
      break;
    case 'v1':
      sign(timestamp, r.body, SLACK_APP.signingSecret, 'v1');
      break;
  }
  return headers;
}

async function send(url: string, r: SlackRequest): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: headersFor(r), body: new Uint8Array(r.body) });
  return { status: response.status, text: await response.text() };
}

const describeRequest = (r: SlackRequest) =>
  `${r.what} (${r.signing}, ${r.contentType ?? 'no content-type'}, ${r.body.length} bytes): ${JSON.stringify(r.body.toString('utf8').slice(0, 300))}`;

// ---------------------------------------------------------------------------------------------
// Generators

const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }));
const hugeString = fc.integer({ min: 10_000, max: 1_000_000 }).map((n) => 'x'.repeat(n));
const oddValue = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 3 }), hugeString);
const json = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null');
const form = (fields: Record<string, string>) => Buffer.from(new URLSearchParams(fields).toString());
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/** A record whose every field may be left out or replaced by something of the wrong type. */
function sloppy<T extends Record<string, fc.Arbitrary<unknown>>>(fields: T): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.entries(fields).map(([key, arbitrary]) => [key, fc.oneof({ weight: 4, arbitrary }, { weight: 1, arbitrary: oddValue })] as const);
  return fc.record(Object.fromEntries(entries), { requiredKeys: [] });
}

const teamIds = fc.oneof(fc.constant(TEAM), fc.constantFrom('T0OTHER', 'E0ORG', ''), text);
/** Team IDs that are not Acme's: an uninstall for Acme, validly signed, would rightly deactivate it. */
const otherTeamIds = fc.oneof(fc.constantFrom('T0OTHER', 'E0ORG', ''), text.filter((id) => id !== TEAM));
const userIds = fc.oneof(fc.constantFrom('U0ADMIN', 'U0NOBODY', 'U0BOT'), text);
const channelIds = fc.oneof(fc.constantFrom('C0ALERTS', 'C0NOWHERE'), text);
// Where Bolt's `respond` posts: nowhere reachable, never a real host.
const responseUrls = fc.oneof(fc.constant('http://127.0.0.1:9/commands/response/x'), text, fc.constant(''));
const authorizations = fc.oneof(
  fc.array(sloppy({ team_id: teamIds, enterprise_id: fc.option(text), user_id: userIds, is_bot: fc.boolean(), is_enterprise_install: fc.boolean() }), { maxLength: 2 }),
  oddValue,
);

function eventCallback(teams: fc.Arbitrary<unknown>, eventTypes: fc.Arbitrary<string>) {
  const event = sloppy({
    type: eventTypes,
    user: userIds,
    channel: fc.oneof(channelIds, sloppy({ id: channelIds, creator: userIds })),
    tab: fc.constantFrom('home', 'messages', ''),
    text,
    ts: text,
    event_ts: text,
    tokens: sloppy({ oauth: fc.array(userIds, { maxLength: 2 }), bot: fc.array(userIds, { maxLength: 2 }) }),
    item: sloppy({ channel: channelIds, type: text }),
    view: fc.jsonValue({ maxDepth: 4 }),
  });
  return sloppy({
    token: text,
    team_id: teams,
    enterprise_id: fc.option(teams),
    api_app_id: fc.constantFrom('A0HERALD', 'A0OTHER'),
    type: fc.constant('event_callback'),
    event_id: text,
    event_time: fc.oneof(fc.integer(), fc.double()),
    event: fc.oneof({ weight: 5, arbitrary: event }, { weight: 1, arbitrary: oddValue }),
    authorizations,
    is_ext_shared_channel: fc.boolean(),
  });
}

/** Events Herald handles (App Home) or not, for any team; uninstall events only for teams other than Acme. */
const events = fc.oneof(
  eventCallback(teamIds, fc.oneof(fc.constantFrom('app_home_opened', 'message', 'app_mention', 'member_joined_channel', 'function_executed'), text)),
  eventCallback(otherTeamIds, fc.constantFrom('app_uninstalled', 'tokens_revoked')).map((body) => ({
    ...body,
    // The team also comes from the authorizations: keep Acme out of those too.
    authorizations: Array.isArray(body.authorizations) ? body.authorizations.map((a) => (a && typeof a === 'object' ? { ...a, team_id: 'T0OTHER', is_enterprise_install: false } : a)) : body.authorizations,
  })),
);

const actionIds = fc.oneof(
  fc.constantFrom(ACTION_IDS.acknowledge, ACTION_IDS.resolve, ACTION_IDS.silence, HOME_ACTIONS.sendTest, HOME_ACTIONS.removeChannel, HOME_ACTIONS.expireSilence, `${LINK_ACTION_ID_PREFIX}x`),
  text,
);
const actionValues = fc.oneof(fc.constantFrom('1h:nope', '24h:', ':', 'C0NOWHERE', 'abcd', '0000'), text, hugeString);
const blockActions = sloppy({
  type: fc.constant('block_actions'),
  user: sloppy({ id: userIds, team_id: teamIds, username: text }),
  team: fc.oneof(sloppy({ id: teamIds, domain: text, enterprise_id: fc.option(text) }), fc.constant(null)),
  enterprise: fc.option(sloppy({ id: text })),
  is_enterprise_install: fc.boolean(),
  api_app_id: fc.constant('A0HERALD'),
  container: sloppy({ type: fc.constantFrom('message', 'view'), channel_id: channelIds, message_ts: text }),
  channel: sloppy({ id: channelIds, name: text }),
  trigger_id: text,
  response_url: responseUrls,
  actions: fc.oneof(
    fc.array(
      sloppy({
        type: fc.constantFrom('button', 'static_select', 'overflow', 'datepicker'),
        action_id: actionIds,
        block_id: text,
        value: actionValues,
        selected_option: fc.oneof(sloppy({ value: actionValues, text: fc.jsonValue({ maxDepth: 2 }) }), fc.constant(null)),
        action_ts: text,
      }),
      { maxLength: 3 },
    ),
    oddValue,
  ),
  state: fc.jsonValue({ maxDepth: 4 }),
});

const otherInteractions = sloppy({
  type: fc.constantFrom('view_submission', 'view_closed', 'shortcut', 'message_action', 'block_suggestion', 'dialog_submission', 'interactive_message', 'workflow_step_edit'),
  user: sloppy({ id: userIds, team_id: teamIds }),
  team: fc.oneof(sloppy({ id: teamIds }), fc.constant(null)),
  view: sloppy({ id: text, callback_id: text, app_installed_team_id: teamIds, state: fc.jsonValue({ maxDepth: 3 }) }),
  callback_id: text,
  name: text,
  action_id: actionIds,
  value: text,
  response_urls: fc.oneof(fc.array(sloppy({ response_url: responseUrls }), { maxLength: 2 }), oddValue),
  actions: oddValue,
});

/** The first words of subcommands that change something: an admin never types them here. */
const WRITING = new Set(['add', 'remove', 'test', 'mute', 'unmute', 'grouping', 'token', 'silence', 'managers']);
const SUBCOMMANDS = ['help', 'add', 'remove', 'list', 'test', 'mute', 'unmute', 'grouping', 'token create', 'token list', 'token revoke', 'silence', 'silence list', 'silence expire', 'managers add', 'managers remove', 'managers list', 'audit'];
const commandText = fc.oneof(text, fc.tuple(fc.constantFrom(...SUBCOMMANDS), fc.oneof(text, hugeString)).map(([sub, rest]) => `${sub} ${rest}`));
const slashCommands = fc
  .record({
    fields: sloppy({
      token: text,
      team_id: teamIds,
      team_domain: text,
      enterprise_id: text,
      channel_id: channelIds,
      channel_name: text,
      user_id: fc.oneof(fc.constantFrom('U0NOBODY', 'U0BOT'), text),
      user_name: text,
      command: fc.oneof({ weight: 4, arbitrary: fc.constant('/herald') }, { weight: 1, arbitrary: text }),
      text: commandText,
      api_app_id: fc.constant('A0HERALD'),
      is_enterprise_install: fc.constantFrom('true', 'false', 'maybe'),
      response_url: responseUrls,
      trigger_id: text,
    }),
    // The admin too, but only with texts that change nothing if they happen to be valid.
    admin: fc.boolean(),
  })
  .map(({ fields, admin }) => {
    // What the form will carry (stringFields below): String() throws on an object with a
    // "toString" key, which fc.jsonValue generates now and then.
    const typed = typeof fields.text === 'string' ? fields.text : (JSON.stringify(fields.text) ?? '');
    const firstWord = typed.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
    return admin && !WRITING.has(firstWord) ? { ...fields, user_id: 'U0ADMIN' } : fields;
  });

const stringFields = (record: Record<string, unknown>) => Object.fromEntries(Object.entries(record).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v) ?? '']));

/** (a) Anything at all, validly signed. */
const randomSigned: fc.Arbitrary<SlackRequest> = fc
  .record({
    body: fc.oneof(
      fc.uint8Array({ maxLength: 2048 }).map((bytes) => ({ what: 'random bytes', body: Buffer.from(bytes) })),
      fc.string({ unit: 'binary', maxLength: 500 }).map((s) => ({ what: 'a random string', body: Buffer.from(s) })),
      fc.json({ maxDepth: 6 }).map((s) => ({ what: 'random JSON', body: Buffer.from(s) })),
      fc.dictionary(text, text, { maxKeys: 6 }).map((fields) => ({ what: 'a random form', body: form(fields) })),
      fc.oneof(text, fc.json({ maxDepth: 6 })).map((payload) => ({ what: 'a random payload=', body: form({ payload }) })),
    ),
    contentType: fc.oneof(
      fc.constantFrom(JSON_TYPE, FORM, `${JSON_TYPE}; charset=utf-8`, 'text/plain', 'multipart/form-data; boundary=x'),
      fc.constant(undefined),
    ),
    signing: fc.constantFrom<Signing>('valid', 'decoded'),
  })
  .map(({ body, contentType, signing }) => ({ ...body, contentType, signing }));

/** (b) Close to what Slack sends, with fields missing, of the wrong type, or huge; validly signed. */
const malformedSigned: fc.Arbitrary<SlackRequest> = fc.oneof(
  events.map((body) => ({ what: 'an event_callback', body: json(body), contentType: JSON_TYPE, signing: 'valid' as const })),
  blockActions.map((payload) => ({ what: 'a block_actions payload', body: form({ payload: JSON.stringify(payload) }), contentType: FORM, signing: 'valid' as const })),
  otherInteractions.map((payload) => ({ what: 'an interaction payload', body: form({ payload: JSON.stringify(payload) }), contentType: FORM, signing: 'valid' as const })),
  slashCommands.map((fields) => ({ what: 'a slash command', body: form(stringFields(fields)), contentType: FORM, signing: 'valid' as const })),
  fc.oneof(oddValue, sloppy({ type: fc.constant('url_verification'), challenge: oddValue, token: text })).map((body) => ({
    what: 'a URL verification',
    body: json({ type: 'url_verification', ...(typeof body === 'object' && body !== null ? body : { challenge: body }) }),
    contentType: JSON_TYPE,
    signing: 'valid' as const,
  })),
  fc.dictionary(text, text, { maxKeys: 3 }).map((fields) => ({ what: 'an SSL check', body: form({ ssl_check: '1', ...fields }), contentType: FORM, signing: 'valid' as const })),
);

/** (c) Anything, including a real uninstall event for Acme, signed badly or not at all. */
const acmeUninstall = (eventTime: number) => ({
  token: 'legacy',
  team_id: TEAM,
  api_app_id: 'A0HERALD',
  type: 'event_callback',
  event_id: `Ev${eventTime}`,
  event_time: eventTime,
  event: { type: 'app_uninstalled' },
  authorizations: [{ team_id: TEAM, user_id: 'U0BOT', is_bot: true, is_enterprise_install: false }],
});
const badlySigned: fc.Arbitrary<SlackRequest> = fc
  .record({
    request: fc.oneof(
      randomSigned,
      malformedSigned,
      fc.constant({ what: 'an uninstall of Acme', body: json(acmeUninstall(now())), contentType: JSON_TYPE, signing: 'valid' as Signing }),
    ),
    signing: fc.constantFrom<Signing>('none', 'no-timestamp', 'wrong', 'other-secret', 'stale', 'bad-timestamp', 'other-body', 'v1'),
  })
  .map(({ request, signing }) => ({ ...request, signing }));

// ---------------------------------------------------------------------------------------------
// What must not change

async function snapshot(db: Db): Promise<string> {
  const counts = await Promise.all([
    db.installation.findMany({ orderBy: { id: 'asc' } }),
    db.channel.count(),
    db.ingestToken.count(),
    db.silence.count(),
    db.manager.count(),
    db.auditEntry.count(),
    db.incomingAlert.count(),
    db.payloadDigest.count(),
    db.alertGroup.count(),
    db.groupAlert.count(),
    db.outboxMessage.count(),
    db.setting.count(),
  ]);
  const [installations, ...rest] = counts;
  const names = ['channels', 'ingest tokens', 'silences', 'managers', 'audit entries', 'incoming alerts', 'payload digests', 'alert groups', 'group alerts', 'outbox messages', 'settings'];
  return JSON.stringify({ installations, ...Object.fromEntries(names.map((name, i) => [name, rest[i]])) }, null, 1);
}

// ---------------------------------------------------------------------------------------------

for (const kind of testDatabaseKinds()) {
  describe(`fuzzing /slack/events on ${kind.name}`, () => {
    const t = heraldPerTest(kind, { install: true });
    const eventsUrl = () => `${t.herald.url}/slack/events`;
    const db = () => t.herald.herald.database.prisma;

    const stillServing = async () => {
      assert.equal((await fetch(`${t.herald.url}/healthz`)).status, 200);
      const challenge = await send(eventsUrl(), { what: 'a URL verification', body: json({ type: 'url_verification', challenge: 'still-here' }), contentType: JSON_TYPE, signing: 'valid' });
      assert.equal(challenge.status, 200);
      assert.equal(JSON.parse(challenge.text).challenge, 'still-here');
      const help = await t.emulator.sendCommand({ teamId: TEAM, userId: 'U0ADMIN', channelId: 'C0ALERTS', text: 'help' });
      assert.equal(help.status, 200, 'a real /herald help is still answered');
    };

    /** Waits for listeners still running after Slack's answer, then for what they queued. */
    const settled = async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await t.herald.herald.slack.inFlight.drain();
    };

    /** Sends the requests of each run together; every answer must be below 500. */
    const neverFails = async (c: TestContext, requests: fc.Arbitrary<SlackRequest>, expected: (status: number) => boolean) => {
      const seen = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(fc.array(requests, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
          await Promise.all(
            batch.map(async (r) => {
              const { status, text: answer } = await send(eventsUrl(), r);
              seen.set(status, (seen.get(status) ?? 0) + 1);
              assert.ok(expected(status), `answered ${status} ${answer.slice(0, 200)} to ${describeRequest(r)}`);
            }),
          );
        }),
        // Shrinking a batch would resend it many times, 3 s each: the failure message names the request instead.
        { numRuns: Math.max(1, Math.ceil(RUNS / BATCH)), endOnFailure: true },
      );
      c.diagnostic(`answers: ${JSON.stringify(Object.fromEntries([...seen].sort()))}`);
      return seen;
    };

    it('answers random signed bodies (bytes, strings, JSON, forms, payload=) without a 5xx, and writes nothing', async (c) => {
      const before = await snapshot(db());
      const seen = await neverFails(c, randomSigned, (status) => status < 500);
      await settled();
      assert.equal(await snapshot(db()), before, 'nothing was written');
      for (const status of [400]) assert.ok((seen.get(status) ?? 0) > 0, `some answered ${status}`);
      await stillServing();
    });

    it('answers malformed events, commands and interactions without a 5xx, and writes nothing', async (c) => {
      const before = await snapshot(db());
      const seen = await neverFails(c, malformedSigned, (status) => status < 500);
      await settled();
      assert.equal(await snapshot(db()), before, 'nothing was written');
      // The requests reach Herald's listeners (200: acknowledged), not only Bolt's first checks.
      assert.ok((seen.get(200) ?? 0) > BATCH / 2, `most were acknowledged: ${JSON.stringify([...seen])}`);
      await stillServing();
    });

    it('answers 401 to unsigned, badly signed and stale requests, and acts on none', async () => {
      const before = await snapshot(db());
      await fc.assert(
        fc.asyncProperty(badlySigned, async (r) => {
          const { status, text: answer } = await send(eventsUrl(), r);
          assert.equal(status, 401, `answered ${status} ${answer.slice(0, 200)} to ${describeRequest(r)}`);
        }),
        { numRuns: RUNS },
      );
      await settled();
      assert.equal(await snapshot(db()), before, 'nothing was written, Acme is still installed');
      await stillServing();
    });

    it(
      'answers 4xx, not 500, to signed bodies that Bolt cannot route (null, event: null, actions without user, …)',
      async () => {
        const bodies: [string, string][] = [
          ['null', JSON_TYPE],
          ['{"event":null}', JSON_TYPE],
          ['{"event":1}', JSON_TYPE],
          ['{"event":{"item":null}}', JSON_TYPE],
          ['{"event":{"type":"message","user":null},"team_id":"T0ACME"}', JSON_TYPE],
          ['{"type":"event_callback","event":{"type":"app_home_opened"},"authorizations":[null]}', JSON_TYPE],
          ['{"type":"block_actions","actions":[]}', JSON_TYPE],
          [`payload=${encodeURIComponent('{"type":"block_actions","actions":[{"action_id":"herald_ack"}]}')}`, FORM],
          [`payload=${encodeURIComponent('{"type":"view_submission"}')}`, FORM],
          ['payload=null', FORM],
        ];
        const failures: string[] = [];
        for (const [body, contentType] of bodies) {
          const { status } = await send(eventsUrl(), { what: 'a known Bolt crash', body: Buffer.from(body), contentType, signing: 'valid' });
          if (status >= 500) failures.push(`${status} to ${body}`);
        }
        await stillServing();
        assert.deepEqual(failures, []);
      },
    );
  });
}
