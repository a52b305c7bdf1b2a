import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Alert, Severity } from '../../src/alerts/alert.js';
import { decodeActionValue, renderAlertGroup, renderResolvedReply, renderTestAlert, type SlackMessage } from '../../src/render/index.js';
import { allText, assertValidMessage, bodyBlocks, loadGroup, makeAlert } from '../fixtures/render/load.js';

const actionIds = (message: SlackMessage) =>
  bodyBlocks(message)
    .filter((block) => block.type === 'actions')
    .flatMap((block) => (block.elements as { action_id: string }[]).map((element) => element.action_id));

const headerText = (message: SlackMessage) => (message.blocks[0] as { text: { text: string } }).text.text;

describe('renderAlertGroup: a single firing alert', () => {
  const group = loadGroup('single-firing');
  const message = renderAlertGroup(group);

  it('passes every Block Kit limit', () => assertValidMessage(message));

  it('has an emoji header, a red bar and an Alertmanager-style fallback', () => {
    assert.equal(headerText(message), '🔴 Firing: HighLatency');
    assert.equal(message.attachments?.[0]?.color, '#E01E5A');
    assert.equal(message.text, '[FIRING:1] HighLatency (critical)');
    assert.equal(message.attachments?.[0]?.fallback, message.text);
  });

  it('shows the text, the labels not shown elsewhere, and the start time', () => {
    const [description, fields] = bodyBlocks(message);
    assert.deepEqual(description, { type: 'section', text: { type: 'mrkdwn', text: 'p99 latency of api is 2.4s (threshold 500ms)' } });
    const fieldTexts = (fields?.fields as { text: string }[]).map((field) => field.text);
    assert.deepEqual(fieldTexts, ['*service*\napi', '*namespace*\nprod', '*instance*\napi-7:9090']);
    assert.match(allText(message), /\*Firing\* · Critical · 1 firing · Started <!date\^1714564800\^\{date_short_pretty\} \{time\}\|2024-05-01 12:00 UTC>/);
  });

  it('has link buttons, then Acknowledge, Silence and Resolve carrying the group id', () => {
    assert.deepEqual(actionIds(message), ['herald_link_0', 'herald_link_1', 'herald_link_2', 'herald_ack', 'herald_silence', 'herald_resolve']);
    const controls = bodyBlocks(message).at(-1) as { elements: Record<string, unknown>[] };
    const [ack, silence, resolve] = controls.elements;
    assert.deepEqual(decodeActionValue(ack?.action_id, ack?.value), { kind: 'acknowledge', groupId: 'grp_01HZX3' });
    assert.deepEqual(decodeActionValue(resolve?.action_id, resolve?.value), { kind: 'resolve', groupId: 'grp_01HZX3' });
    const options = (silence?.options as { value: string; text: { text: string } }[]).map((option) => [option.text.text, decodeActionValue(silence?.action_id, option.value)]);
    assert.deepEqual(options, [
      ['Silence 1 hour', { kind: 'silence', groupId: 'grp_01HZX3', duration: '1h' }],
      ['Silence 4 hours', { kind: 'silence', groupId: 'grp_01HZX3', duration: '4h' }],
      ['Silence 24 hours', { kind: 'silence', groupId: 'grp_01HZX3', duration: '24h' }],
    ]);
    const urls = (bodyBlocks(message).find((block) => block.type === 'actions')?.elements as { url: string; text: { text: string } }[]).map((b) => [b.text.text, b.url]);
    assert.deepEqual(urls.map(([title]) => title), ['Source', 'Runbook', 'Silence']);
  });

  it('colours and heads each severity', () => {
    const expected: Record<Severity, [string, string]> = {
      critical: ['#E01E5A', '🔴'],
      error: ['#F2711C', '🟠'],
      warning: ['#ECB22E', '🟡'],
      info: ['#36C5F0', '🔵'],
    };
    for (const [severity, [color, emoji]] of Object.entries(expected)) {
      const rendered = renderAlertGroup({ ...group, alerts: [makeAlert({ severity: severity as Severity })] });
      assertValidMessage(rendered);
      assert.equal(rendered.attachments?.[0]?.color, color);
      assert.equal(headerText(rendered), `${emoji} Firing: HighLatency`);
      assert.equal(rendered.text, `[FIRING:1] HighLatency (${severity})`);
    }
  });

  it('renders the /herald test sample nicely', () => {
    const sample = renderTestAlert(new Date('2024-05-01T12:00:00Z'), 'grp_test', [{ title: 'Herald', url: 'https://herald.example.com/' }]);
    assertValidMessage(sample);
    assert.equal(headerText(sample), '🟡 Firing: Herald test alert');
    assert.equal(sample.text, '[FIRING:1] Herald test alert (warning)');
    assert.deepEqual(actionIds(sample), ['herald_link_0', 'herald_ack', 'herald_silence', 'herald_resolve']);
  });

  it('refuses a group id that would not fit in an option value', () => {
    assert.throws(() => renderAlertGroup({ ...group, groupId: 'x'.repeat(65) }), RangeError);
  });
});

describe('renderAlertGroup: a resolved group', () => {
  const message = renderAlertGroup(loadGroup('resolved'));

  it('passes every Block Kit limit', () => assertValidMessage(message));

  it('turns green, says resolved, and offers no actions', () => {
    assert.equal(message.attachments?.[0]?.color, '#2EB67D');
    assert.equal(headerText(message), '✅ Resolved: DiskFull');
    assert.equal(message.text, '[RESOLVED] DiskFull');
    assert.deepEqual(actionIds(message), []);
  });

  it('says who resolved it, when, and lists both alerts most severe first', () => {
    const text = allText(message);
    assert.match(text, /🙋 Resolved by <@U024BE7LH>/);
    assert.match(text, /\*Resolved\* · 2 resolved · Started <!date\^1714564800\^.*\|2024-05-01 12:00 UTC> · Resolved <!date\^1714567320\^/);
    const list = bodyBlocks(message).find((block) => block.type === 'section' && String((block.text as { text?: string })?.text).startsWith('✅'));
    const lines = (list?.text as { text: string }).text.split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0] ?? '', /^✅ instance=db-2 · Disk \/var is 99% full · resolved <!date/);
    assert.match(lines[1] ?? '', /^✅ instance=db-1 · Disk \/var is 97% full · resolved <!date/);
  });
});

describe('renderAlertGroup: acknowledged and silenced', () => {
  const message = renderAlertGroup(loadGroup('acknowledged-silenced'));

  it('passes every Block Kit limit', () => assertValidMessage(message));

  it('shows who acknowledged and silenced, counts, and what the sender left out', () => {
    const people = bodyBlocks(message).find((block) => block.type === 'context' && JSON.stringify(block).includes('Acknowledged'));
    assert.deepEqual(
      (people?.elements as { text: string }[]).map((element) => element.text),
      [
        '👀 Acknowledged by <@U024BE7LH> <!date^1714565400^{date_short_pretty} {time}|2024-05-01 12:10 UTC>',
        '🔕 Silenced until <!date^1714579800^{date_short_pretty} {time}|2024-05-01 16:10 UTC> by <@W012A3CDE>',
      ],
    );
    assert.match(allText(message), /\*Firing\* · Error · 2 firing, 1 resolved, 12 more left out by the sender/);
    assert.equal(message.text, '[FIRING:2] PodCrashLooping (error)');
  });

  it('keeps the buttons while firing', () => {
    assert.deepEqual(actionIds(message), ['herald_ack', 'herald_silence', 'herald_resolve']);
  });

  it('shows shared labels once as fields, not alertname or severity, and lists firing before resolved', () => {
    assert.equal(headerText(message), '🟠 Firing: PodCrashLooping');
    const fields = bodyBlocks(message).find((block) => block.fields)?.fields as { text: string }[];
    assert.deepEqual(fields.map((field) => field.text), ['*namespace*\npayments']);
    const listText = allText(message).split('\n').filter((line) => /^[🟠✅] pod=/u.test(line));
    assert.deepEqual(listText.map((line) => line.match(/pod=worker-\d/)?.[0]), ['pod=worker-2', 'pod=worker-1', 'pod=worker-3']);
  });
});

describe('renderAlertGroup: 500 alerts', () => {
  const severities: Severity[] = ['info', 'warning', 'error', 'critical'];
  const alerts: Alert[] = Array.from({ length: 500 }, (_, i) =>
    makeAlert({
      severity: severities[i % 4],
      status: i % 5 === 0 ? 'resolved' : 'firing',
      text: `Latency on pod-${i} is high`,
      labels: { alertname: 'HighLatency', namespace: 'prod', pod: `pod-${i}` },
      startsAt: new Date(Date.UTC(2024, 4, 1, 12, 0, i)),
      endsAt: i % 5 === 0 ? new Date(Date.UTC(2024, 4, 1, 13)) : null,
      fingerprint: `fp-${i}`,
    }),
  );
  const message = renderAlertGroup({ groupId: 'grp_storm', status: 'firing', groupLabels: { alertname: 'HighLatency' }, alerts, truncatedAlerts: 3 });

  it('passes every Block Kit limit', () => assertValidMessage(message));

  it('lists the most severe, firing, newest first and says how many more there are', () => {
    const lines = allText(message).split('\n').filter((line) => /^[🔴🟠🟡🔵✅] pod=/u.test(line));
    assert.ok(lines.length >= 20, `${lines.length} alerts listed`);
    // Critical alerts are i ≡ 3 (mod 4); the newest firing one is pod-499, then pod-491 (495 is resolved).
    assert.match(lines[0] ?? '', /^🔴 pod=pod-499 /);
    assert.match(lines[1] ?? '', /^🔴 pod=pod-491 /);
    const more = allText(message).match(/…and (\d+) more$/m);
    assert.equal(Number(more?.[1]) + lines.length, 500);
    assert.equal(message.text, '[FIRING:400] HighLatency (critical)');
    assert.match(allText(message), /400 firing, 100 resolved, 3 more left out by the sender/);
  });

  it('renders smaller when asked to (the retry after msg_too_long)', () => {
    const compact = renderAlertGroup({ groupId: 'grp_storm', status: 'firing', groupLabels: { alertname: 'HighLatency' }, alerts }, { compact: true });
    assertValidMessage(compact);
    assert.ok(JSON.stringify(compact).length < JSON.stringify(message).length * 0.7);
  });
});

describe('renderAlertGroup: maximal fields', () => {
  const hugeAnnotation = 'x'.repeat(64 * 1024);
  const longName = 'n'.repeat(200);
  const longValue = 'v'.repeat(200);

  it('cuts a 64 KiB text with an ellipsis and keeps every limit', () => {
    const message = renderAlertGroup({ groupId: 'g', status: 'firing', groupLabels: {}, alerts: [makeAlert({ text: hugeAnnotation, annotations: { description: hugeAnnotation } })] });
    assertValidMessage(message);
    const description = (bodyBlocks(message)[0]?.text as { text: string }).text;
    assert.equal(description.length, 2_500);
    assert.ok(description.endsWith('x…'));
  });

  it('keeps 200-character label names and values, at most 10 fields', () => {
    const labels = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`${longName}${i}`, `${longValue}${i}`]));
    const message = renderAlertGroup({ groupId: 'g', status: 'firing', groupLabels: {}, alerts: [makeAlert({ labels })] });
    assertValidMessage(message);
    const fields = bodyBlocks(message).find((block) => block.fields)?.fields as { text: string }[];
    assert.equal(fields.length, 10);
    assert.equal(fields.at(-1)?.text, '_…and 21 more labels_');
    assert.ok(fields[0]?.text.startsWith(`*${longName.slice(0, 100)}`));
  });

  it('cuts emoji and CJK text at a character boundary', () => {
    for (const unit of ['👨‍👩‍👧‍👦', '😀', '漢', '🇯🇵', 'é', 'e\u0301']) {
      const text = unit.repeat(5_000);
      const title = unit.repeat(200);
      const message = renderAlertGroup({
        groupId: 'g',
        status: 'firing',
        groupLabels: {},
        alerts: [makeAlert({ title, text, labels: { [title]: text } }), makeAlert({ title: `${title}2`, text: 'other', labels: { pod: text } })],
      });
      assertValidMessage(message);
      // Everything before each ellipsis is made of whole units.
      const cuts = [...allText(message).matchAll(new RegExp(`((?:${unit})+)([^…]?)…`, 'gu'))];
      assert.ok(cuts.length >= 3, `${cuts.length} cuts of ${unit}`);
      for (const cut of cuts) assert.equal(cut[2], '', `cut inside ${unit}`);
    }
  });

  it('drops links Slack would refuse and never cuts a URL', () => {
    const links = [
      { title: 'Too long', url: `https://example.com/${'a'.repeat(3_000)}` },
      { title: 'Script', url: 'javascript:alert(1)' },
      { title: 'Dashboard', url: 'https://grafana.example.com/d/abc' },
      { title: 'T'.repeat(100), url: 'https://grafana.example.com/d/def' },
    ];
    const message = renderAlertGroup({ groupId: 'g', status: 'firing', groupLabels: {}, alerts: [makeAlert({ links })] });
    assertValidMessage(message);
    const buttons = bodyBlocks(message).find((block) => block.type === 'actions')?.elements as { url: string; text: { text: string } }[];
    assert.deepEqual(buttons.map((button) => button.url), ['https://grafana.example.com/d/abc', 'https://grafana.example.com/d/def']);
    assert.equal(buttons[1]?.text.text.length, 75);
  });
});

describe('renderAlertGroup: Slack-format alerts', () => {
  const message = renderAlertGroup(loadGroup('slack-format'));

  it('passes every Block Kit limit', () => assertValidMessage(message));

  it("shows the sender's valid blocks, without block ids, instead of Herald's body", () => {
    const body = bodyBlocks(message);
    assert.deepEqual(body.slice(0, 4), [
      { type: 'section', text: { type: 'mrkdwn', text: 'Run *gpt-small-42* loss went NaN at step 1200' } },
      { type: 'divider' },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'project: llm · entity: research' }] },
      { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open run' }, url: 'https://wandb.ai/research/llm/runs/42' }] },
    ]);
    assert.deepEqual(body[4], { type: 'context', elements: [{ type: 'mrkdwn', text: '…1 more block from the sender not shown' }] });
    assert.equal(headerText(message), '🟡 Firing: W&B run diverged');
    assert.equal(message.text, '[FIRING:1] W&amp;B run diverged (warning)');
  });

  it('stays within the block budget when senders send 50 blocks each', () => {
    const blocks = Array.from({ length: 50 }, (_, i) => ({ type: 'section', block_id: 'same', text: { type: 'mrkdwn', text: `line ${i} ${'z'.repeat(900)}` } }));
    const alerts = [1, 2, 3].map((n) => makeAlert({ source: 'slack', fingerprint: `s${n}`, slack: { blocks } }));
    const storm = renderAlertGroup({ groupId: 'g', status: 'firing', groupLabels: {}, alerts });
    assertValidMessage(storm);
    assert.match(allText(storm), /…\d+ more blocks from the sender not shown/);
  });
});

describe('renderAlertGroup: mrkdwn escaping', () => {
  const message = renderAlertGroup(loadGroup('escaping'));

  it('passes every Block Kit limit', () => assertValidMessage(message));

  it('cannot ping anyone or inject links from alert data', () => {
    const mrkdwn = JSON.stringify(bodyBlocks(message).filter((block) => block.type !== 'actions'));
    assert.doesNotMatch(mrkdwn, /<!channel>|<!here>|<@U999>|<!subteam|<https:/);
    assert.match(mrkdwn, /Summary with &lt;!here&gt; and &lt;https:\/\/evil.example\|click me&gt; &amp; more/);
    assert.match(mrkdwn, /\*team\*\\n&lt;!subteam\^S123&gt;/);
    assert.match(mrkdwn, /\*&lt;b&gt;\*\\na&gt;b/);
    assert.equal(message.text, '[FIRING:1] &lt;!channel&gt; &amp; &lt;@U999&gt; ping (info)');
    // plain_text is not parsed, so the header shows the title as written.
    assert.equal(headerText(message), '🔵 Firing: <!channel> & <@U999> ping');
    assert.deepEqual(actionIds(message), ['herald_ack', 'herald_silence', 'herald_resolve']);
  });

  it('does not turn a user id that is not one into a mention', () => {
    const group = { ...loadGroup('single-firing'), acknowledged: { userId: '<!channel>', at: new Date('2024-05-01T12:00:00Z') } };
    const rendered = renderAlertGroup(group);
    assertValidMessage(rendered);
    assert.match(allText(rendered), /Acknowledged by &lt;!channel&gt;/);
  });
});

describe('renderResolvedReply', () => {
  const group = loadGroup('resolved');

  it('says how long it fired and who resolved it', () => {
    const reply = renderResolvedReply(group, new Date('2024-05-01T12:00:00Z'), new Date('2024-05-01T12:42:30Z'));
    assertValidMessage(reply);
    assert.equal(reply.text, '✅ Resolved after 42 minutes: DiskFull');
    assert.deepEqual(reply.blocks[0], { type: 'section', text: { type: 'mrkdwn', text: '✅ *Resolved* after 42 minutes by <@U024BE7LH>' } });
    assert.match(allText(reply), /Fired <!date\^1714564800\^.* · Resolved <!date\^1714567350\^/);
  });

  it('reads well for long and odd durations', () => {
    const at = (iso: string) => new Date(iso);
    const after = (from: string, to: string) => renderResolvedReply({ ...group, manuallyResolvedBy: undefined }, at(from), at(to)).text;
    assert.equal(after('2024-05-01T12:00:00Z', '2024-05-01T12:00:30Z'), '✅ Resolved after less than a minute: DiskFull');
    assert.equal(after('2024-05-01T12:00:00Z', '2024-05-01T15:05:00Z'), '✅ Resolved after 3 hours 5 minutes: DiskFull');
    assert.equal(after('2024-05-01T12:00:00Z', '2024-05-03T16:00:00Z'), '✅ Resolved after 2 days 4 hours: DiskFull');
    assert.equal(after('2024-05-01T12:00:00Z', '2024-05-02T12:01:00Z'), '✅ Resolved after 1 day: DiskFull');
    assert.equal(after('2024-05-01T12:00:00Z', 'not a date'), '✅ Resolved: DiskFull');
  });
});
