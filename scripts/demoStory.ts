// The demo's sample alerts, as a story: alerts fire, the group grows, everything resolves. Each step
// waits for delivery to finish, then prints what the pretend Slack shows, so a newcomer sees one
// living message per group: posted, updated in place, turned green with a thread reply.
import { readFileSync } from 'node:fs';
import type { Herald } from '../src/herald.js';
import { displayPrefix, generateIngestToken, hashIngestToken } from '../src/setup/ingestTokens.js';
import type { SlackEmulator } from '../test/emulator/index.js';

const DEMO_TOKEN_NAME = 'demo';
// Shorter than Herald's defaults (10 s and 1 min) so the story takes seconds; the demo sets them
// as `/herald grouping group_wait=2s group_interval=5s` would.
const DEMO_GROUPING = { groupWaitSeconds: 2, groupIntervalSeconds: 5 };

const fixture = (file: string) => JSON.parse(readFileSync(new URL(`../test/fixtures/ingest/${file}`, import.meta.url), 'utf8')) as Record<string, unknown>;

type Payload = Record<string, unknown> & { alerts: Record<string, unknown>[] };

/** Alertmanager's firing sample with only its first alert, then with both, then both resolved. */
function alertmanagerStory(): Payload[] {
  const firing = fixture('alertmanager/firing.json') as Payload;
  const now = new Date().toISOString();
  return [
    { ...firing, alerts: firing.alerts.slice(0, 1) },
    firing,
    { ...firing, status: 'resolved', alerts: firing.alerts.map((alert) => ({ ...alert, status: 'resolved', endsAt: now })) },
  ];
}

interface Step {
  title: string;
  requests: { format: string; body: unknown; note: string }[];
}

function steps(): Step[] {
  const [first, both, resolved] = alertmanagerStory();
  return [
    {
      title: 'Fire: three monitors send alerts',
      requests: [
        { format: 'alertmanager', body: first, note: 'Alertmanager: NodeFilesystemAlmostOutOfSpace on node-1' },
        { format: 'grafana', body: fixture('grafana/firing.json'), note: 'Grafana alerting' },
        { format: 'slack', body: fixture('slack/amplitude.json'), note: 'an Amplitude monitor (Slack webhook format)' },
      ],
    },
    { title: 'Update: node-2 joins the Alertmanager group', requests: [{ format: 'alertmanager', body: both, note: 'the same group, now two alerts' }] },
    { title: 'Resolve: both disks were cleaned up', requests: [{ format: 'alertmanager', body: resolved, note: 'the group resolved' }] },
  ];
}

export async function playDemoStory(herald: Herald, slack: SlackEmulator, heraldUrl: string, installationId: string, cancelled: () => boolean): Promise<void> {
  const db = herald.database.prisma;
  await db.installation.update({ where: { id: installationId }, data: DEMO_GROUPING });
  // Only a token's hash is stored, so each run makes a new demo token in place of the last one.
  const token = generateIngestToken();
  await db.ingestToken.deleteMany({ where: { installationId, name: DEMO_TOKEN_NAME } });
  await db.ingestToken.create({ data: { installationId, name: DEMO_TOKEN_NAME, tokenHash: hashIngestToken(token), prefix: displayPrefix(token), createdBy: 'demo' } });
  console.log(`\nSending sample alerts with a new ingest token "${DEMO_TOKEN_NAME}" (grouping set to group_wait 2s, group_interval 5s for the demo):`);

  for (const step of steps()) {
    if (cancelled()) return;
    console.log(`\n── ${step.title}`);
    for (const { format, body, note } of step.requests) {
      const url = `${heraldUrl}/alerts/${format}`;
      const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      console.log(`   POST ${url} (${note}) → ${response.status} ${await response.text()}`);
    }
    await waitForDelivery(herald, cancelled);
    printChannels(slack);
  }
  console.log(`\nThat is the whole story. Open ${slack.url} to see the messages, and POST your own alerts with the token above, e.g.\n  curl -sS ${heraldUrl}/alerts/alertmanager -H 'Authorization: Bearer ${token}' -H 'Content-Type: application/json' --data-binary @test/fixtures/ingest/alertmanager/firing.json\n`);
}

/** Until the accepted alerts are filed, no open group is due within a group interval (a new or changed group is; a notified one waits for its repeat), and the outbox is empty. */
async function waitForDelivery(herald: Herald, cancelled: () => boolean): Promise<void> {
  const db = herald.database.prisma;
  const soon = () => new Date(Date.now() + (DEMO_GROUPING.groupIntervalSeconds + 1) * 1000);
  await new Promise((resolve) => setTimeout(resolve, 500));
  while (!cancelled()) {
    const [incoming, due, outbox] = await Promise.all([
      db.incomingAlert.count({ where: { processedAt: null } }),
      db.alertGroup.count({ where: { openKey: { not: null }, nextEvaluationAt: { lte: soon() } } }),
      db.outboxMessage.count({ where: { deadAt: null } }),
    ]);
    if (incoming + due + outbox === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function printChannels(slack: SlackEmulator): void {
  for (const message of slack.messages().filter((m) => m.source === 'api')) {
    const where = message.thread_ts ? `   ↳ reply in its thread` : `   #${message.channel} ts ${message.ts}${message.edits > 0 ? `, edited ${message.edits}×` : ''}`;
    console.log(`${where}: ${String(message.text ?? '').split('\n')[0]}`);
  }
}
