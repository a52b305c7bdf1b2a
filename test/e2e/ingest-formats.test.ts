// Every ingest format over real HTTP, in both URL forms, into the database: the fixtures written
// from each sender's documentation, and the edge cases (empty, resolved, minimal, unicode, long,
// 1,000 alerts).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { AlertFormat } from '../../src/alerts/alert.js';
import { parsePayload } from '../../src/ingest/parse.js';
import { testDatabaseKinds } from '../helpers/databases.js';
import { answer, createToken, fixtureText, ingestHerald, postAlerts, WORKSPACE, type TokenPlace } from '../helpers/ingest.js';

const FIXTURES: [AlertFormat, string][] = [
  ['alertmanager', 'alertmanager/firing'],
  ['alertmanager', 'alertmanager/resolved'],
  ['alertmanager', 'alertmanager/kubesphere'],
  ['grafana', 'grafana/firing'],
  ['slack', 'slack/amplitude'],
  ['slack', 'slack/wandb-legacy'],
  ['generic', 'generic/wandb-filled'],
];
const PLACES: TokenPlace[] = ['header', 'path'];

/** A fixture made distinct per request (its own group key), so that the second post is not a repeat of the first. */
function distinct(format: AlertFormat, text: string, tag: string): Record<string, unknown> {
  const body = JSON.parse(text) as Record<string, unknown>;
  if (format === 'alertmanager' || format === 'grafana') body.groupKey = `${String(body.groupKey ?? '')}/${tag}`;
  return body;
}

const amAlert = (labels: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  status: 'firing',
  labels,
  annotations: {},
  startsAt: '2024-05-14T09:00:00Z',
  endsAt: '0001-01-01T00:00:00Z',
  ...extra,
});

for (const kind of testDatabaseKinds()) {
  describe(`ingesting each format over HTTP on ${kind.name}`, () => {
    const t = ingestHerald(kind);
    let token: { token: string; id: string };
    const db = () => t.herald.herald.database.prisma;
    const post = (format: string, body: unknown, via: TokenPlace = 'header') => postAlerts(t.herald.url, format, JSON.stringify(body), { token: token.token, via });
    const rowsOf = (groupKey: string) => db().incomingAlert.findMany({ where: { groupKey }, orderBy: { fingerprint: 'asc' } });

    before(async () => {
      token = await createToken(db());
    });

    for (const [format, fixture] of FIXTURES) {
      for (const via of PLACES) {
        it(`accepts ${fixture} with the token in the ${via}, and stores every alert`, async () => {
          const body = distinct(format, fixtureText(fixture), via);
          const expected = parsePayload(format, body, new Date()).alerts;
          const before = await db().incomingAlert.count();
          const { status, body: reply } = await answer(await post(format, body, via));
          assert.equal(status, 202);
          assert.deepEqual(reply, { accepted: expected.length, duplicates: 0 });
          assert.equal(await db().incomingAlert.count(), before + expected.length);
          const rows = await db().incomingAlert.findMany({ where: { groupKey: expected[0]?.groupKey }, orderBy: { receivedAt: 'desc' }, take: expected.length });
          assert.deepEqual(
            rows.map((row) => row.fingerprint).sort(),
            expected.map((alert) => alert.fingerprint).sort(),
          );
          for (const row of rows) {
            assert.equal(row.installationId, WORKSPACE);
            assert.equal(row.tokenId, token.id);
            assert.equal(row.source, format);
          }
        });
      }
    }

    it('stores the normalized alert: status, severity, labels, annotations, links, times, externalURL', async () => {
      const body = distinct('alertmanager', fixtureText('alertmanager/firing'), 'fields');
      const [first] = parsePayload('alertmanager', body, new Date()).alerts;
      assert.ok(first);
      assert.equal((await post('alertmanager', body)).status, 202);
      const row = (await rowsOf(first.groupKey)).find((r) => r.fingerprint === first.fingerprint);
      assert.ok(row);
      assert.equal(row.status, 'firing');
      assert.equal(row.severity, first.severity);
      assert.equal(row.title, first.title);
      assert.equal(row.text, first.text);
      assert.deepEqual(JSON.parse(row.labels), first.labels);
      assert.deepEqual(JSON.parse(row.annotations), first.annotations);
      assert.deepEqual(JSON.parse(row.links), first.links);
      assert.equal(row.slack, null);
      assert.equal(row.startsAt?.toISOString(), first.startsAt?.toISOString());
      assert.equal(row.endsAt, null);
      assert.equal(row.externalUrl, 'https://alertmanager.prod.example.com');
    });

    it("keeps a Slack sender's blocks and attachments as sent", async () => {
      const body = JSON.parse(fixtureText('slack/amplitude')) as Record<string, unknown>;
      const [expected] = parsePayload('slack', body, new Date()).alerts;
      assert.equal((await post('slack', body)).status, 202);
      const row = await db().incomingAlert.findFirstOrThrow({ where: { source: 'slack', title: expected?.title }, orderBy: { receivedAt: 'desc' } });
      assert.deepEqual(JSON.parse(row.slack ?? 'null'), expected?.slack);
    });

    it('answers an empty alert list with 202 and stores nothing', async () => {
      const before = await db().incomingAlert.count();
      for (const format of ['alertmanager', 'grafana', 'generic'] as const) {
        assert.deepEqual(await answer(await post(format, { alerts: [] })), { status: 202, body: { accepted: 0, duplicates: 0 } });
      }
      assert.equal(await db().incomingAlert.count(), before);
    });

    it('stores a resolved alert as resolved, with its end time', async () => {
      const body = { groupKey: 'resolved-test', status: 'resolved', alerts: [amAlert({ alertname: 'Gone' }, { status: 'resolved', endsAt: '2024-05-14T09:30:00Z' })] };
      assert.deepEqual((await answer(await post('alertmanager', body))).body, { accepted: 1, duplicates: 0 });
      const [row] = await rowsOf('resolved-test');
      assert.equal(row?.status, 'resolved');
      assert.equal(row?.endsAt?.toISOString(), '2024-05-14T09:30:00.000Z');
    });

    it('accepts payloads without their optional fields', async () => {
      assert.deepEqual((await answer(await post('alertmanager', { alerts: [{ status: 'firing', labels: null }] }))).body, { accepted: 1, duplicates: 0 });
      assert.deepEqual((await answer(await post('generic', { title: 'Disk almost full on db-1' }))).body, { accepted: 1, duplicates: 0 });
      assert.deepEqual((await answer(await post('slack', { text: 'deploy finished' }))).body, { accepted: 1, duplicates: 0 });
      const row = await db().incomingAlert.findFirstOrThrow({ where: { title: 'Disk almost full on db-1' } });
      assert.equal(row.severity, 'warning');
      assert.equal(row.externalUrl, null);
    });

    it('keeps unicode and a very long annotation intact', async () => {
      const long = 'ü'.repeat(32 * 1024); // 64 KiB of UTF-8, the most a value may have
      const labels = { alertname: 'Ünïcødé 🚀 告警', 'app.kubernetes.io/name': 'ñ' };
      const body = { groupKey: 'unicode-test', alerts: [amAlert(labels, { annotations: { description: long, summary: 'Ωμέγα' } })] };
      assert.equal((await post('alertmanager', body)).status, 202);
      const [row] = await rowsOf('unicode-test');
      assert.deepEqual(JSON.parse(row?.labels ?? '{}'), labels);
      assert.equal(JSON.parse(row?.annotations ?? '{}').description, long);
      assert.equal(row?.title, 'Ωμέγα');
    });

    it('counts answers and accepted alerts in /metrics', async () => {
      assert.equal((await post('generic', { title: 'counted' })).status, 202);
      const metrics = await (await fetch(`${t.herald.url}/metrics`)).text();
      assert.match(metrics, /^herald_ingest_requests_total\{status="202"\} [1-9]\d*$/m);
      assert.match(metrics, /^herald_alerts_received_total\{format="generic",workspace="T0ACME"\} [1-9]\d*$/m);
    });

    it('stores 1,000 alerts of one payload', async () => {
      const alerts = Array.from({ length: 1000 }, (_, i) => amAlert({ alertname: 'Many', instance: `host-${i}` }));
      const { status, body } = await answer(await post('alertmanager', { groupKey: 'thousand', alerts }));
      assert.equal(status, 202);
      assert.deepEqual(body, { accepted: 1000, duplicates: 0 });
      const rows = await rowsOf('thousand');
      assert.equal(rows.length, 1000);
      assert.equal(new Set(rows.map((row) => JSON.parse(row.labels).instance)).size, 1000);
    });
  });
}
