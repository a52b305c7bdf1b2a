// The buttons on an alert message, end to end: Acknowledge, Silence (with and without writing the
// silence back to the Alertmanager that sent the alerts) and Resolve, pressed in the emulator's
// Slack on a message Herald really posted; and the presses Herald must refuse (a Slack Connect guest
// of another organisation, forged or foreign group ids). Real HTTP, real databases, the real worker,
// a real HTTP server standing in for Alertmanager.
//
// Herald puts the buttons in the message's attachment (for the coloured bar), and the emulator's
// pressButton only looks for elements in a message's top-level `blocks`, so presses are built here
// from the message as it stands (an element that is not in it cannot be pressed) and sent, signed,
// with emulator.sendInteraction, shaped as Slack sends a press in an attachment
// (container.type "message_attachment").
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { PostedMessage, SlackEmulator } from '../emulator/index.js';
import { alertmanagerPayload, fastGrouping, type TestAlert } from '../helpers/alerts.js';
import { testDatabaseKinds } from '../helpers/databases.js';
import { startFakeAlertmanager, type FakeAlertmanager } from '../helpers/fakeAlertmanager.js';
import { heraldPerTest } from '../helpers/herald.js';
import { createToken, eventually, postAlerts } from '../helpers/ingest.js';
import { installWorkspace } from '../helpers/install.js';

const TEAM = 'T0ACME';
const CHANNEL = 'C0ALERTS';
const ADMIN = 'U0ADMIN';
const HOUR = 3_600_000;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const headerText = (message: PostedMessage) => JSON.stringify(message.blocks?.[0] ?? '');
const attachmentText = (message: PostedMessage) => JSON.stringify(message.attachments ?? []);
const isAlertMessage = (message: PostedMessage) => message.thread_ts === undefined && /Firing|Resolved/.test(headerText(message));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every interactive element of the message, wherever Slack shows it: top-level blocks and attachment blocks. */
function elementsOf(message: PostedMessage): { element: Json; blockId: string; attachmentId: number | null }[] {
  const fromBlocks = (blocks: unknown[], attachmentId: number | null, prefix: string) =>
    blocks.filter(isObject).flatMap((block, i) => {
      const blockId = typeof block.block_id === 'string' ? block.block_id : `${prefix}block-${i}`;
      const elements = block.type === 'actions' && Array.isArray(block.elements) ? block.elements.filter(isObject) : block.type === 'section' && isObject(block.accessory) ? [block.accessory] : [];
      return elements.map((element) => ({ element, blockId, attachmentId }));
    });
  return [
    ...fromBlocks(message.blocks ?? [], null, ''),
    ...(message.attachments ?? []).filter(isObject).flatMap((attachment, i) => fromBlocks(Array.isArray(attachment.blocks) ? attachment.blocks : [], i + 1, `attachment-${i + 1}-`)),
  ];
}

interface Press {
  ts: string;
  actionId: string;
  /** A button's value as sent; defaults to the button's own (a different one is a forged press). */
  value?: string;
  /** The option picked in a static_select; must be one of its options unless `forged`. */
  selectedOptionValue?: string;
  forged?: boolean;
  userId?: string;
  /** `user.team_id` in the payload: a Slack Connect guest's own workspace. Defaults to the channel's. */
  userTeamId?: string;
}

/** The block_actions payload Slack sends when someone uses an element of the message (in its attachment). */
function pressPayload(emulator: SlackEmulator, p: Press): Json {
  const message = emulator.messages(CHANNEL).find((m) => m.ts === p.ts);
  if (!message) throw new Error(`no message ${p.ts} in ${CHANNEL}`);
  const found = elementsOf(message).find(({ element }) => element.action_id === p.actionId);
  if (!found) throw new Error(`message ${p.ts} has no element ${p.actionId} (elements: ${elementsOf(message).map((f) => String(f.element.action_id)).join(', ') || 'none'})`);
  const { element, blockId, attachmentId } = found;
  const base = { type: element.type, action_id: element.action_id, block_id: blockId, action_ts: (Date.now() / 1000).toFixed(6) };
  let action: Json;
  let values: Json = {};
  if (element.type === 'button') {
    action = { ...base, text: element.text, value: p.value ?? element.value, ...(element.style ? { style: element.style } : {}) };
  } else if (element.type === 'static_select') {
    const options = Array.isArray(element.options) ? element.options.filter(isObject) : [];
    const option = options.find((o) => o.value === p.selectedOptionValue) ?? (p.forged ? { text: { type: 'plain_text', text: 'forged' }, value: p.selectedOptionValue } : undefined);
    if (!option) throw new Error(`${p.actionId} has no option ${String(p.selectedOptionValue)}`);
    const selected = { text: option.text, value: option.value };
    action = { ...base, selected_option: selected, placeholder: element.placeholder };
    values = { [blockId]: { [p.actionId]: { type: 'static_select', selected_option: selected } } };
  } else {
    throw new Error(`cannot press a ${String(element.type)}`);
  }
  return {
    type: 'block_actions',
    user: { id: p.userId ?? ADMIN, ...(p.userTeamId ? { team_id: p.userTeamId } : {}) },
    container:
      attachmentId === null
        ? { type: 'message', message_ts: message.ts, channel_id: CHANNEL, is_ephemeral: false }
        : { type: 'message_attachment', message_ts: message.ts, attachment_id: attachmentId, channel_id: CHANNEL, is_ephemeral: false, is_app_unfurl: false },
    channel: { id: CHANNEL, name: 'alerts' },
    message: { type: 'message', ts: message.ts, text: message.text, user: message.user, bot_id: message.bot_id, blocks: message.blocks, attachments: message.attachments },
    state: { values },
    actions: [action],
  };
}

/** Sends the press, signed, as workspace `teamId`; returns Herald's HTTP status and the response_url Slack gave it. */
async function sendPress(emulator: SlackEmulator, payload: Json, teamId = TEAM): Promise<{ status: number; responseUrl: string }> {
  const response = await emulator.sendInteraction(teamId, payload);
  await response.arrayBuffer();
  const sent = emulator.interactions.at(-1);
  return { status: response.status, responseUrl: String(sent?.payload.response_url) };
}

/** What Herald answered the presser through the response_url (waits for it: Herald acks first, answers after). */
async function answerTo(emulator: SlackEmulator, responseUrl: string): Promise<Json> {
  await eventually(async () => emulator.responses.some((r) => r.url === responseUrl), `Herald's answer at ${responseUrl}`);
  const answers = emulator.responses.filter((r) => r.url === responseUrl);
  assert.equal(answers.length, 1, 'one answer per press');
  const body = answers[0]?.body;
  assert.ok(isObject(body));
  return body;
}

async function press(emulator: SlackEmulator, p: Press, teamId = TEAM): Promise<{ status: number; answer: Json; text: string }> {
  const { status, responseUrl } = await sendPress(emulator, pressPayload(emulator, p), teamId);
  assert.equal(status, 200, 'Herald acknowledges the interaction');
  const answer = await answerTo(emulator, responseUrl);
  assert.equal(answer.response_type, 'ephemeral', 'only the presser sees the answer');
  assert.equal(answer.replace_original, false, 'the answer does not replace the alert message');
  return { status, answer, text: String(answer.text) };
}

for (const kind of testDatabaseKinds()) {
  describe(`alert buttons (${kind.name})`, () => {
    const world = heraldPerTest(kind, { install: true });
    let alertmanager: FakeAlertmanager;
    beforeEach(async () => {
      alertmanager = await startFakeAlertmanager();
    });
    afterEach(async () => {
      await alertmanager.close();
    });

    const db = () => world.herald.herald.database.prisma;
    const alertMessages = () => world.emulator.messages(CHANNEL).filter(isAlertMessage);
    const messageAt = (ts: string) => {
      const message = world.emulator.messages(CHANNEL).find((m) => m.ts === ts);
      assert.ok(message, `message ${ts}`);
      return message;
    };
    const alertAudit = () => db().auditEntry.findMany({ where: { action: { startsWith: 'alert.' } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });

    /** A token (write-back on or off), its alerts sent with `externalURL`, and the message Herald posted for them. */
    async function postedAlert(p: { writeBack?: boolean; externalURL?: string; alerts?: TestAlert[] } = {}) {
      await fastGrouping(db());
      const { token, id: tokenId } = await createToken(db());
      if (p.writeBack) await db().ingestToken.update({ where: { id: tokenId }, data: { silenceWriteBack: true } });
      const externalURL = p.externalURL ?? `${alertmanager.origin}/am`;
      const send = async (alerts: TestAlert[]) => {
        const response = await postAlerts(world.herald.url, 'alertmanager', alertmanagerPayload(alerts, { externalURL }), { token });
        assert.equal(response.status, 202);
      };
      const before = alertMessages().length;
      await send(p.alerts ?? [{ alertname: 'DiskFull', instance: 'db-1' }]);
      await eventually(async () => alertMessages().length === before + 1 && attachmentText(alertMessages().at(-1) as PostedMessage).includes('herald_ack'), 'the alert message with its buttons');
      const message = alertMessages().at(-1) as PostedMessage;
      // Herald stores the message's ts just after Slack answered the post.
      await eventually(async () => (await db().alertGroup.count({ where: { messageTs: message.ts } })) === 1, 'Herald to record the posted message');
      const group = await db().alertGroup.findFirstOrThrow({ where: { messageTs: message.ts } });
      assert.equal(group.tokenId, tokenId);
      assert.equal(group.externalUrl, externalURL);
      return { message, group, send };
    }

    /** The outbox drained and a few worker polls passed: whatever Herald was going to post, it has posted. */
    async function settled() {
      await eventually(async () => (await db().incomingAlert.count({ where: { processedAt: null } })) === 0, 'every accepted alert filed');
      await eventually(async () => (await db().outboxMessage.count()) === 0, 'the outbox to drain');
      await sleep(1_500); // longer than group_interval (1 s) and many delivery polls (50 ms)
      assert.equal(await db().outboxMessage.count(), 0);
    }

    it('Acknowledge: the message says who acknowledged, the group records it, the press is audited and answered', async () => {
      const { message, group } = await postedAlert();
      assert.match(attachmentText(message), /"action_id":"herald_ack","text":\{[^}]*\},"value":"[^"]+","style":"primary"/, 'Acknowledge is the primary button before anyone pressed it');

      const { text } = await press(world.emulator, { ts: message.ts, actionId: 'herald_ack' });
      assert.equal(text, ':eyes: Acknowledged: the message shows it was you.');

      const acknowledged = await db().alertGroup.findUniqueOrThrow({ where: { id: group.id } });
      assert.equal(acknowledged.acknowledgedBy, ADMIN);
      assert.ok(acknowledged.acknowledgedAt);
      assert.equal(acknowledged.status, 'firing');
      assert.equal(acknowledged.version, group.version + 1);

      await eventually(async () => messageAt(message.ts).edits >= 1 && attachmentText(messageAt(message.ts)).includes('Acknowledged by <@U0ADMIN>'), 'the message to show the acknowledgement');
      const edited = messageAt(message.ts);
      assert.match(attachmentText(edited), /👀 Acknowledged by <@U0ADMIN> <!date\^\d+\^/);
      assert.match(headerText(edited), /Firing: DiskFull/, 'still firing');
      assert.doesNotMatch(attachmentText(edited), /"action_id":"herald_ack","text":\{[^}]*\},"value":"[^"]+","style":"primary"/, 'Acknowledge is no longer highlighted');
      assert.match(attachmentText(edited), /"action_id":"herald_resolve"/, 'the other buttons stay');
      assert.equal(alertMessages().length, 1, 'no new message');

      const audit = await alertAudit();
      assert.deepEqual(audit.map((a) => [a.installationId, a.actorId, a.action]), [[TEAM, ADMIN, 'alert.acknowledge']]);
      assert.match(audit[0]?.detail ?? '', /^acknowledged \{alertname=DiskFull\} \(group \S+\)$/);
      assert.ok(world.emulator.interactions.every((i) => i.status === 200));
    });

    it('Silence 4h with write-back: Herald and the sending Alertmanager both silence the group, the message says so, and new alerts of the group stay quiet', async () => {
      const { message, group, send } = await postedAlert({ writeBack: true });
      const before = Date.now();
      const { text } = await press(world.emulator, { ts: message.ts, actionId: 'herald_silence', selectedOptionValue: `4h:${group.id}` });
      const after = Date.now();

      // The Alertmanager got the silence, under its path prefix.
      assert.equal(alertmanager.requests.length, 1);
      const [request] = alertmanager.requests;
      assert.ok(request);
      assert.equal(request.method, 'POST');
      assert.equal(request.path, '/am/api/v2/silences');
      assert.match(String(request.headers['content-type']), /^application\/json/);
      assert.equal(request.headers.authorization, undefined);
      const silence = JSON.parse(request.body) as { matchers: unknown; startsAt: string; endsAt: string; createdBy: string; comment: string; id?: unknown };
      assert.deepEqual(silence.matchers, [{ name: 'alertname', value: 'DiskFull', isRegex: false, isEqual: true }], 'the group labels, as equality matchers');
      assert.equal(silence.id, undefined, 'a new silence, not an update');
      const startsAt = Date.parse(silence.startsAt);
      const endsAt = Date.parse(silence.endsAt);
      assert.ok(startsAt >= before - 1000 && startsAt <= after, `startsAt ${silence.startsAt} is now`);
      assert.ok(endsAt >= before + 4 * HOUR && endsAt <= after + 4 * HOUR, `endsAt ${silence.endsAt} is four hours from now`);
      assert.match(silence.createdBy, /U0ADMIN/);
      assert.ok(silence.comment.length > 0);

      // The presser hears about both.
      const where = `${alertmanager.origin}/am`;
      assert.match(text, /^:no_bell: Silenced for 4h: /);
      assert.ok(text.includes(`Also silenced in Alertmanager (${where}), silence abc-123.`), text);

      // Herald's own silence, on the same labels and until the same moment.
      const silences = await db().silence.findMany();
      assert.equal(silences.length, 1);
      assert.deepEqual([silences[0]?.installationId, silences[0]?.matchers, silences[0]?.createdBy], [TEAM, 'alertname=DiskFull', ADMIN]);
      assert.equal(silences[0]?.endsAt.toISOString(), silence.endsAt, 'Herald and Alertmanager silence until the same moment');
      const silenced = await db().alertGroup.findUniqueOrThrow({ where: { id: group.id } });
      assert.equal(silenced.silencedBy, ADMIN);
      assert.equal(silenced.silencedUntil?.toISOString(), silence.endsAt);

      await eventually(async () => attachmentText(messageAt(message.ts)).includes('Silenced until'), 'the message to show the silence');
      assert.match(attachmentText(messageAt(message.ts)), /🔕 Silenced until <!date\^\d+\^[^>]*> by <@U0ADMIN>/);

      const audit = await alertAudit();
      assert.deepEqual(audit.map((a) => [a.actorId, a.action]), [[ADMIN, 'alert.silence'], [ADMIN, 'alert.silence']]);
      assert.match(audit[0]?.detail ?? '', /^silenced \{alertname=DiskFull\} until \S+ \(group \S+\)$/);
      assert.equal(audit[1]?.detail, `Alertmanager silence abc-123 created at ${where}`);

      // The same group fires again, with a new alert: no new message, no update, nothing in the thread.
      const seen = { messages: world.emulator.messages(CHANNEL).length, edits: messageAt(message.ts).edits, updates: world.emulator.callsTo('chat.update').length, posts: world.emulator.callsTo('chat.postMessage').length };
      await send([{ alertname: 'DiskFull', instance: 'db-1' }, { alertname: 'DiskFull', instance: 'db-2' }]);
      await settled();
      assert.equal(world.emulator.messages(CHANNEL).length, seen.messages, 'no new message, no thread reply');
      assert.equal(messageAt(message.ts).edits, seen.edits, 'the message is not updated');
      assert.equal(world.emulator.callsTo('chat.update').length, seen.updates);
      assert.equal(world.emulator.callsTo('chat.postMessage').length, seen.posts);
      assert.ok(!world.emulator.messages(CHANNEL).some((m) => JSON.stringify(m).includes('db-2')), 'db-2 is shown nowhere');
      assert.equal(await db().groupAlert.count({ where: { groupId: group.id } }), 1, 'the silenced alert did not join the group');
      assert.equal(alertmanager.requests.length, 1, 'Alertmanager is called once, by the press');
    });

    it('Silence with write-back when Alertmanager answers 400: Herald still silences, and the presser learns the write-back failed', async () => {
      alertmanager.answer = { status: 400, body: '"Failed to create silence: start time must be before end time"' };
      const { message, group } = await postedAlert({ writeBack: true });
      const { text } = await press(world.emulator, { ts: message.ts, actionId: 'herald_silence', selectedOptionValue: `1h:${group.id}` });

      assert.equal(alertmanager.requests.length, 1);
      assert.equal(alertmanager.requests[0]?.path, '/am/api/v2/silences');
      const where = `${alertmanager.origin}/am`;
      assert.match(text, /^:no_bell: Silenced for 1h: /);
      assert.ok(
        text.includes(`:warning: Could not silence in Alertmanager (${where}): Alertmanager answered 400: Failed to create silence: start time must be before end time. Herald's own silence holds.`),
        text,
      );

      const silences = await db().silence.findMany();
      assert.deepEqual(silences.map((s) => s.matchers), ['alertname=DiskFull'], "Herald's silence is created all the same");
      const endsIn = (silences[0]?.endsAt.getTime() ?? 0) - Date.now();
      assert.ok(endsIn > 0.9 * HOUR && endsIn <= HOUR, `Herald's silence ends in an hour (${endsIn} ms)`);
      assert.equal((await db().alertGroup.findUniqueOrThrow({ where: { id: group.id } })).silencedBy, ADMIN);
      await eventually(async () => attachmentText(messageAt(message.ts)).includes('Silenced until'), 'the message to show the silence');

      const audit = await alertAudit();
      assert.deepEqual(audit.map((a) => a.action), ['alert.silence', 'alert.silence']);
      assert.equal(audit[1]?.detail, `Alertmanager write-back to ${where} failed: Alertmanager answered 400: Failed to create silence: start time must be before end time`);
    });

    it('Silence from alerts sent with a token without write-back: no request reaches Alertmanager', async () => {
      const { message, group } = await postedAlert({ writeBack: false });
      const { text } = await press(world.emulator, { ts: message.ts, actionId: 'herald_silence', selectedOptionValue: `24h:${group.id}` });
      assert.equal(text, ':no_bell: Silenced for 24h: these alerts notify no channel until then.');
      assert.doesNotMatch(text, /Alertmanager/);
      assert.deepEqual(alertmanager.requests, [], 'Herald never called the URL the sender gave');

      const silences = await db().silence.findMany();
      assert.deepEqual(silences.map((s) => s.matchers), ['alertname=DiskFull']);
      const endsIn = (silences[0]?.endsAt.getTime() ?? 0) - Date.now();
      assert.ok(endsIn > 23.9 * HOUR && endsIn <= 24 * HOUR, `ends in a day (${endsIn} ms)`);
      await eventually(async () => attachmentText(messageAt(message.ts)).includes('Silenced until'), 'the message to show the silence');
      assert.deepEqual((await alertAudit()).map((a) => a.action), ['alert.silence'], 'one audit entry: no write-back was tried');
      await sleep(300);
      assert.deepEqual(alertmanager.requests, []);
    });

    it('Resolve: the message turns resolved with a thread reply naming who, the group closes, and a re-fire posts a new message', async () => {
      const { message, group, send } = await postedAlert();
      const { text } = await press(world.emulator, { ts: message.ts, actionId: 'herald_resolve' });
      assert.equal(text, ':white_check_mark: Resolved by hand. If the alerts fire again, a new message is posted.');

      const resolved = await db().alertGroup.findUniqueOrThrow({ where: { id: group.id } });
      assert.deepEqual([resolved.status, resolved.resolvedBy, resolved.openKey, resolved.nextEvaluationAt], ['resolved', ADMIN, null, null]);
      assert.ok(resolved.resolvedAt);

      await eventually(async () => headerText(messageAt(message.ts)).includes('Resolved'), 'the message to turn resolved');
      const edited = messageAt(message.ts);
      assert.match(headerText(edited), /Resolved: DiskFull/);
      assert.match(attachmentText(edited), /🙋 Resolved by <@U0ADMIN>/);
      assert.doesNotMatch(attachmentText(edited), /herald_ack|herald_silence|herald_resolve/, 'no buttons left to press');
      assert.throws(() => pressPayload(world.emulator, { ts: message.ts, actionId: 'herald_resolve' }), /has no element herald_resolve/);

      await eventually(async () => world.emulator.messages(CHANNEL).some((m) => m.thread_ts === message.ts), 'the thread reply');
      const replies = world.emulator.messages(CHANNEL).filter((m) => m.thread_ts === message.ts);
      assert.equal(replies.length, 1);
      assert.match(String(replies[0]?.text), /^✅ Resolved/);
      assert.match(JSON.stringify(replies[0]?.blocks), /✅ \*Resolved\*.* by <@U0ADMIN>/);

      const audit = await alertAudit();
      assert.deepEqual(audit.map((a) => [a.actorId, a.action]), [[ADMIN, 'alert.resolve']]);
      assert.match(audit[0]?.detail ?? '', /^resolved \{alertname=DiskFull\} \(group \S+\)$/);

      // A press that was on its way (a client that had not shown the update yet): refused, nothing changes.
      const late = await sendPress(world.emulator, pressPayloadFrom(message, 'herald_ack', group.id));
      assert.equal(late.status, 200);
      assert.equal(String((await answerTo(world.emulator, late.responseUrl)).text), 'These alerts are already resolved.');
      assert.equal((await db().alertGroup.findUniqueOrThrow({ where: { id: group.id } })).acknowledgedBy, null);
      assert.equal((await alertAudit()).length, 1);

      // The same alert fires again: a new group, a new message with its own buttons.
      await send([{ alertname: 'DiskFull', instance: 'db-1' }]);
      await eventually(async () => alertMessages().length === 2, 'a new message for the re-fire');
      const again = alertMessages()[1] as PostedMessage;
      assert.notEqual(again.ts, message.ts);
      assert.match(headerText(again), /Firing: DiskFull on db-1/);
      await eventually(async () => (await db().alertGroup.count({ where: { messageTs: again.ts } })) === 1, 'Herald to record the new message');
      const groups = await db().alertGroup.findMany({ orderBy: { createdAt: 'asc' } });
      assert.equal(groups.length, 2);
      assert.equal(groups[1]?.messageTs, again.ts);
      assert.equal(groups[1]?.status, 'firing');
      assert.ok(attachmentText(again).includes(`"value":"${groups[1]?.id}"`), 'the new buttons act on the new group');
      assert.match(headerText(messageAt(message.ts)), /Resolved/, 'the old message stays resolved');
    });

    // src/delivery/groupActions.ts changeGroup reads the group's status, then updates it by id alone:
    // under PostgreSQL's READ COMMITTED, presses that overlap (a double click, two people at once)
    // all see "firing" and all resolve it. SQLite runs one write transaction at a time.
    it(
      'Resolve pressed several times at once: resolved once, one thread reply, the other presses hear it is already resolved',

      async () => {
        const { message } = await postedAlert();
        const payload = pressPayload(world.emulator, { ts: message.ts, actionId: 'herald_resolve' });
        const presses = await Promise.all(Array.from({ length: 5 }, () => sendPress(world.emulator, payload)));
        assert.deepEqual(presses.map((p) => p.status), [200, 200, 200, 200, 200]);
        const texts = await Promise.all(presses.map(async (p) => String((await answerTo(world.emulator, p.responseUrl)).text)));
        assert.deepEqual(texts.sort(), [
          ':white_check_mark: Resolved by hand. If the alerts fire again, a new message is posted.',
          ...Array(4).fill('These alerts are already resolved.'),
        ]);
        assert.equal((await alertAudit()).length, 1, 'one alert.resolve audit entry');
        await settled();
        assert.equal(world.emulator.messages(CHANNEL).filter((m) => m.thread_ts === message.ts).length, 1, 'one "Resolved" thread reply');
      },
    );

    it('refuses a Slack Connect guest from another workspace: an ephemeral refusal, nothing changed, nothing audited', async () => {
      world.emulator.addWorkspace({ id: 'T0OTHER', name: 'Other Org' });
      world.emulator.addUser('T0OTHER', { id: 'U0GUEST', name: 'guest' });
      const { message, group } = await postedAlert({ writeBack: true });
      const editsBefore = messageAt(message.ts).edits;

      const guest = { ts: message.ts, userId: 'U0GUEST', userTeamId: 'T0OTHER' };
      for (const p of [
        { ...guest, actionId: 'herald_ack' },
        { ...guest, actionId: 'herald_silence', selectedOptionValue: `4h:${group.id}` },
        { ...guest, actionId: 'herald_resolve' },
      ]) {
        const payload = pressPayload(world.emulator, p);
        assert.deepEqual([(payload.user as Json).id, (payload.user as Json).team_id], ['U0GUEST', 'T0OTHER']);
        const { text, answer } = await press(world.emulator, p);
        assert.equal(text, ':no_entry: Only members of the workspace Herald is installed in can act on its alerts.', p.actionId);
        assert.equal(answer.response_type, 'ephemeral');
      }
      const sent = world.emulator.interactions.map((i) => [i.teamId, (i.payload.team as Json).id, (i.payload.user as Json).team_id, i.status]);
      assert.deepEqual(sent, Array(3).fill([TEAM, TEAM, 'T0OTHER', 200]), 'signed as the host workspace, the guest of another');

      const after = await db().alertGroup.findUniqueOrThrow({ where: { id: group.id } });
      assert.deepEqual(after, { ...group, updatedAt: after.updatedAt }, 'the group is untouched');
      assert.equal(after.version, group.version);
      assert.equal(await db().silence.count(), 0);
      assert.deepEqual(await alertAudit(), []);
      assert.deepEqual(alertmanager.requests, [], 'no write-back either');
      await settled();
      assert.equal(messageAt(message.ts).edits, editsBefore, 'the message is untouched');
      assert.equal(alertMessages().length, 1);
    });

    it('ignores forged group ids and ids of another workspace’s groups without crashing', async () => {
      const { message, group } = await postedAlert({ writeBack: true });
      const editsBefore = messageAt(message.ts).edits;

      // An id Herald never gave out: "no longer known", nothing else.
      for (const p of [
        { ts: message.ts, actionId: 'herald_ack', value: 'forged-group-id' },
        { ts: message.ts, actionId: 'herald_resolve', value: '00000000-0000-0000-0000-000000000000' },
        { ts: message.ts, actionId: 'herald_silence', selectedOptionValue: '4h:forged-group-id', forged: true },
      ]) {
        const { text } = await press(world.emulator, p);
        assert.equal(text, 'Herald no longer knows these alerts: their channel was removed from Herald, or they resolved longer ago than it keeps history.', p.actionId);
      }

      // Values that are not Herald's at all: acknowledged, answered with nothing, no change.
      for (const p of [
        { ts: message.ts, actionId: 'herald_silence', selectedOptionValue: `99h:${group.id}`, forged: true },
        { ts: message.ts, actionId: 'herald_silence', selectedOptionValue: group.id, forged: true },
        { ts: message.ts, actionId: 'herald_silence', selectedOptionValue: '4h:', forged: true },
        { ts: message.ts, actionId: 'herald_ack', value: '' },
      ]) {
        const { status, responseUrl } = await sendPress(world.emulator, pressPayload(world.emulator, p));
        assert.equal(status, 200, JSON.stringify(p));
        await sleep(200);
        assert.equal(world.emulator.responses.filter((r) => r.url === responseUrl).length, 0, `no answer to ${JSON.stringify(p)}`);
      }

      // A real group id, pressed from another workspace where Herald is installed too: not found there.
      world.emulator.addWorkspace({ id: 'T0BETA', name: 'Beta' });
      world.emulator.addUser('T0BETA', { id: 'U0BETA', name: 'bea', isAdmin: true });
      world.emulator.addChannel('T0BETA', { id: 'C0BETA', name: 'beta-alerts' });
      const installed = await installWorkspace(world.herald.url, world.emulator, { teamId: 'T0BETA', userId: 'U0BETA', channelId: 'C0BETA' });
      assert.equal(installed.status, 200, installed.html);
      const foreign = await sendPress(
        world.emulator,
        {
          type: 'block_actions',
          user: { id: 'U0BETA' },
          container: { type: 'message_attachment', message_ts: '1700000000.000100', attachment_id: 1, channel_id: 'C0BETA', is_ephemeral: false },
          channel: { id: 'C0BETA', name: 'beta-alerts' },
          state: { values: {} },
          actions: [{ type: 'button', action_id: 'herald_resolve', block_id: 'b', value: group.id, action_ts: (Date.now() / 1000).toFixed(6) }],
        },
        'T0BETA',
      );
      assert.equal(foreign.status, 200);
      assert.equal(String((await answerTo(world.emulator, foreign.responseUrl)).text), 'Herald no longer knows these alerts: their channel was removed from Herald, or they resolved longer ago than it keeps history.');

      const after = await db().alertGroup.findUniqueOrThrow({ where: { id: group.id } });
      assert.deepEqual(after, { ...group, updatedAt: after.updatedAt }, 'the group is untouched');
      assert.equal(await db().silence.count(), 0);
      assert.deepEqual(await alertAudit(), []);
      assert.deepEqual(alertmanager.requests, []);
      assert.ok(world.emulator.interactions.every((i) => i.status === 200), 'Herald answered every press with 200');
      await settled();
      assert.equal(messageAt(message.ts).edits, editsBefore);

      // Herald is still fine: a real press works.
      assert.equal((await press(world.emulator, { ts: message.ts, actionId: 'herald_ack' })).text, ':eyes: Acknowledged: the message shows it was you.');
      assert.equal((await db().alertGroup.findUniqueOrThrow({ where: { id: group.id } })).acknowledgedBy, ADMIN);
    });
  });
}

/** A press of `actionId` with `value` on a message as it was (its buttons may be gone since). */
function pressPayloadFrom(message: PostedMessage, actionId: string, value: string): Json {
  return {
    type: 'block_actions',
    user: { id: ADMIN },
    container: { type: 'message_attachment', message_ts: message.ts, attachment_id: 1, channel_id: CHANNEL, is_ephemeral: false, is_app_unfurl: false },
    channel: { id: CHANNEL, name: 'alerts' },
    message: { type: 'message', ts: message.ts, text: message.text, blocks: message.blocks, attachments: message.attachments },
    state: { values: {} },
    actions: [{ type: 'button', action_id: actionId, block_id: 'attachment-1-block-0', value, action_ts: (Date.now() / 1000).toFixed(6) }],
  };
}
