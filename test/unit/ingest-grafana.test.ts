import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePayload } from '../../src/ingest/parse.js';
import { NOW, copy, loadFixture, problemsOf } from '../fixtures/ingest/fixtures.js';

const fixture = loadFixture('grafana/firing');
const parse = (body: unknown) => parsePayload('grafana', body, NOW);

describe('grafana: a unified-alerting webhook', () => {
  const result = parse(fixture);
  const [firing, resolved] = result.alerts;

  it('keeps the payload fields and the group key', () => {
    assert.equal(result.alerts.length, 2);
    assert.equal(result.externalURL, 'https://grafana.example.com/');
    assert.equal(result.truncatedAlerts, 0);
    assert.equal(firing?.source, 'grafana');
    assert.equal(firing?.groupKey, resolved?.groupKey);
    assert.equal(firing?.groupKey, fixture.groupKey);
  });

  it('maps each alert like Alertmanager: status, severity, title, text, fingerprint', () => {
    assert.equal(firing?.status, 'firing');
    assert.equal(firing?.severity, 'error');
    assert.equal(firing?.title, 'This alert was triggered for zone us-1');
    assert.equal(firing?.text, 'The system has high memory usage');
    assert.equal(firing?.fingerprint, 'c6eadffa33fcdf37');
    assert.equal(firing?.labels.grafana_folder, 'Infrastructure');
    assert.equal(firing?.startsAt?.toISOString(), '2024-05-14T07:51:03.157Z'); // +02:00 offset
    assert.equal(firing?.endsAt, null);
  });

  it('links Dashboard, Panel, Silence, Source, then Runbook', () => {
    assert.deepEqual(firing?.links, [
      { title: 'Dashboard', url: 'https://grafana.example.com/d/mem01?orgId=1' },
      { title: 'Panel', url: 'https://grafana.example.com/d/mem01?orgId=1&viewPanel=4' },
      {
        title: 'Silence',
        url: 'https://grafana.example.com/alerting/silence/new?alertmanager=grafana&matcher=alertname%3DHigh+memory+usage&matcher=team%3Dblue&matcher=zone%3Dus-1&orgId=1',
      },
      { title: 'Source', url: 'https://grafana.example.com/alerting/grafana/1afz29v7z/view?orgId=1' },
      { title: 'Runbook', url: 'https://runbooks.example.com/memory' },
    ]);
  });

  it('leaves out empty dashboard and panel URLs', () => {
    assert.deepEqual(resolved?.links.map((link) => link.title), ['Silence', 'Source']);
  });

  it('keeps the query values and the image as annotations', () => {
    assert.equal(firing?.annotations.values, 'B=44.23943737541908, C=1');
    assert.equal(firing?.annotations.image_url, 'https://grafana.example.com/public/img/attachments/9LrWPdgk.png');
    // Without `values`, Grafana's valueString is used.
    assert.equal(resolved?.annotations.values, "[ var='B' labels={team=blue, zone=eu-1} value=72.5 ]");
    assert.equal(resolved?.annotations.image_url, undefined);
  });

  it('does not overwrite an annotation the rule already calls "values"', () => {
    const body = copy(fixture) as { alerts: { annotations: Record<string, string> }[] };
    body.alerts[0]!.annotations.values = 'mine';
    assert.equal(parse(body).alerts[0]?.annotations.values, 'mine');
  });

  it('maps a resolved alert with its end', () => {
    assert.equal(resolved?.status, 'resolved');
    assert.equal(resolved?.endsAt?.toISOString(), '2024-05-14T08:11:03.157Z');
    assert.equal(resolved?.severity, 'warning'); // no severity label
  });

  it('accepts an empty alert list and missing Grafana-only fields', () => {
    assert.deepEqual(parse({ alerts: [] }).alerts, []);
    const [alert] = parse({ alerts: [{ status: 'firing', labels: { alertname: 'Bare' } }] }).alerts;
    assert.equal(alert?.title, 'Bare');
    assert.deepEqual(alert?.links, []);
  });
});

describe('grafana: refused payloads', () => {
  it('names the path and problem of Grafana-specific fields', () => {
    const body = copy(fixture) as Record<string, unknown> & { alerts: Record<string, unknown>[] };
    body.orgId = 'one';
    body.alerts[0]!.values = { B: 'high' };
    body.alerts[1]!.silenceURL = 42;
    assert.deepEqual(problemsOf(() => parse(body)), [
      { path: 'alerts[0].values.B', message: 'expected a number' },
      { path: 'alerts[1].silenceURL', message: 'expected a string' },
      { path: 'orgId', message: 'expected a number' },
    ]);
  });

  it('refuses an alert status Grafana does not send', () => {
    assert.deepEqual(problemsOf(() => parse({ alerts: [{ status: 'alerting' }] })), [
      { path: 'alerts[0].status', message: 'must be "firing" or "resolved"' },
    ]);
  });
});
