import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { labelsFingerprint } from '../../src/alerts/fingerprint.js';
import { parsePayload } from '../../src/ingest/parse.js';
import { NOW, loadFixture, problemsOf } from '../fixtures/ingest/fixtures.js';

const parse = (body: unknown) => parsePayload('generic', body, NOW);
const only = (body: unknown) => {
  const { alerts } = parse(body);
  assert.equal(alerts.length, 1);
  return alerts[0]!;
};
const schema = JSON.parse(readFileSync(new URL('../../src/ingest/generic.schema.json', import.meta.url), 'utf8')) as {
  examples: unknown[];
  $defs: { alert: { required: string[]; properties: Record<string, { enum?: unknown[]; anyOf?: { enum?: unknown[] }[] }> } };
};

describe('generic: a filled-in W&B webhook template', () => {
  const alert = only(loadFixture('generic/wandb-filled'));

  it('maps every field', () => {
    assert.equal(alert.source, 'generic');
    assert.equal(alert.status, 'firing');
    assert.equal(alert.severity, 'info');
    assert.equal(alert.title, 'W&B ADD_ARTIFACT_ALIAS: churn-classifier');
    assert.equal(alert.text, 'ana added alias "production" to acme/model-registry/churn-classifier:production');
    assert.deepEqual(alert.links, [{ title: 'Project', url: 'https://wandb.ai/acme/model-registry' }]);
    assert.equal(alert.groupKey, 'wandb/acme/model-registry/churn-classifier');
    assert.equal(alert.annotations.artifact_version, 'wandb-artifact://_id/QXJ0aWZhY3Q6NTE3ODg5ODg3');
    assert.equal(alert.startsAt?.toISOString(), NOW.toISOString());
    assert.equal(alert.endsAt, null);
  });

  it('adds alertname and source to the labels, leaves out empty ones (the unset ${tag})', () => {
    assert.deepEqual(alert.labels, {
      alertname: 'W&B ADD_ARTIFACT_ALIAS: churn-classifier',
      source: 'wandb',
      entity: 'acme',
      project: 'model-registry',
      collection: 'churn-classifier',
      event_type: 'ADD_ARTIFACT_ALIAS',
      alias: 'production',
    });
    assert.equal(alert.fingerprint, labelsFingerprint(alert.labels));
  });
});

describe('generic: the JSON Schema', () => {
  it('has examples the parser accepts, the first a W&B template', () => {
    assert.ok(JSON.stringify(schema.examples[0]).includes('${artifact_version_string}'));
    for (const example of schema.examples) assert.ok(parse(example).alerts.length >= 1);
    assert.equal(parse(schema.examples[1]).alerts.length, 2);
  });

  it('requires what the parser requires', () => {
    assert.deepEqual(schema.$defs.alert.required, ['title']);
    assert.deepEqual(problemsOf(() => parse({ text: 'no title' })), [{ path: 'title', message: 'required' }]);
  });

  it('enumerates the statuses and severities the parser accepts, and the parser refuses others', () => {
    for (const status of schema.$defs.alert.properties.status?.enum ?? []) assert.doesNotThrow(() => parse({ title: 't', status }));
    for (const severity of schema.$defs.alert.properties.severity?.anyOf?.[0]?.enum ?? []) {
      assert.doesNotThrow(() => parse({ title: 't', severity }), String(severity));
    }
    assert.deepEqual(problemsOf(() => parse({ title: 't', status: 'open' })), [{ path: 'status', message: 'must be "firing" or "resolved"' }]);
    assert.deepEqual(problemsOf(() => parse({ title: 't', severity: 'sev2' })), [
      { path: 'severity', message: 'must be "info", "warning", "error" or "critical" (or a synonym such as "high" or "p1")' },
    ]);
  });

  it('refuses unknown fields (additionalProperties: false), at both levels', () => {
    assert.deepEqual(problemsOf(() => parse({ title: 't', severty: 'high' })), [{ path: 'severty', message: 'unknown field' }]);
    assert.deepEqual(problemsOf(() => parse({ alerts: [], extra: 1 })), [{ path: 'extra', message: 'unknown field' }]);
  });

  it('refuses links that are not absolute http(s) URLs, and label values that are objects', () => {
    assert.deepEqual(problemsOf(() => parse({ title: 't', links: [{ title: 'Docs', url: '/docs' }], labels: { a: { b: 1 } } })), [
      { path: 'labels.a', message: 'expected a string' },
      { path: 'links[0].url', message: 'expected an absolute http or https URL' },
    ]);
  });
});

describe('generic: lenient where templates produce strings', () => {
  it('treats "" as unset for status, severity, fingerprint, group, times and link URLs', () => {
    const alert = only({ title: 'Unset', status: '', severity: '', fingerprint: '', group: '', startsAt: '', endsAt: '', links: [{ title: 'Run', url: '' }] });
    assert.equal(alert.status, 'firing');
    assert.equal(alert.severity, 'warning');
    assert.equal(alert.fingerprint, labelsFingerprint({ alertname: 'Unset' }));
    assert.equal(alert.startsAt?.toISOString(), NOW.toISOString());
    assert.deepEqual(alert.links, []);
  });

  it('reads numbers and booleans as text', () => {
    const alert = only({ title: 42, labels: { attempt: 3, retry: true }, annotations: { loss: 0.25 } });
    assert.equal(alert.title, '42');
    assert.deepEqual(alert.labels, { alertname: '42', attempt: '3', retry: 'true' });
    assert.deepEqual(alert.annotations, { loss: '0.25' });
  });

  it('accepts Unix times in seconds or milliseconds, as numbers or strings, and RFC 3339', () => {
    const alert = only({ title: 't', status: 'resolved', startsAt: '1715680800', endsAt: 1715684400000 });
    assert.equal(alert.startsAt?.toISOString(), '2024-05-14T10:00:00.000Z');
    assert.equal(alert.endsAt?.toISOString(), '2024-05-14T11:00:00.000Z');
    assert.equal(only({ title: 't', startsAt: '2024-05-14T12:00:00+02:00' }).startsAt?.toISOString(), '2024-05-14T10:00:00.000Z');
  });

  it('keeps severity synonyms in any case', () => {
    assert.equal(only({ title: 't', severity: 'HIGH' }).severity, 'error');
    assert.equal(only({ title: 't', severity: 'P1' }).severity, 'critical');
  });
});

describe('generic: several alerts and edge cases', () => {
  it('accepts { alerts: [...] }, including an empty list', () => {
    assert.deepEqual(parse({ alerts: [] }).alerts, []);
    const [a, b] = parse({ alerts: [{ title: 'A', group: 'g' }, { title: 'B', status: 'resolved', fingerprint: 'fp-b' }] }).alerts;
    assert.equal(a?.groupKey, 'g');
    assert.equal(b?.status, 'resolved');
    assert.equal(b?.fingerprint, 'fp-b');
    assert.equal(b?.endsAt?.toISOString(), NOW.toISOString());
  });

  it('groups alerts without a group by their title', () => {
    const [a, b, c] = parse({ alerts: [{ title: 'Same' }, { title: 'Same', labels: { x: '1' } }, { title: 'Other' }] }).alerts;
    assert.equal(a?.groupKey, b?.groupKey);
    assert.notEqual(a?.groupKey, c?.groupKey);
  });

  it('keeps labels given as alertname and source over the defaults', () => {
    const alert = only({ title: 'T', source: 'amplitude', labels: { alertname: 'Mine', source: 'also-mine' } });
    assert.deepEqual(alert.labels, { alertname: 'Mine', source: 'also-mine' });
  });

  it('uses the first line of a multi-line title; keeps long unicode text intact', () => {
    const long = '日本語'.repeat(7_000); // 63,000 bytes: long, within the 64 KiB limit
    const alert = only({ title: '\n  First line 🚀\nSecond', text: long, annotations: { long } });
    assert.equal(alert.title, 'First line 🚀');
    assert.equal(alert.text, long);
    assert.equal(alert.annotations.long, long);
  });

  it('refuses a blank title with its path in a list', () => {
    assert.deepEqual(problemsOf(() => parse({ alerts: [{ title: 'ok' }, { title: '   ' }] })), [{ path: 'alerts[1].title', message: 'must not be empty' }]);
  });

  it('refuses a body that is not an object', () => {
    assert.deepEqual(problemsOf(() => parse([{ title: 't' }])), [{ path: '(body)', message: 'expected an object' }]);
  });

  it('parses 1,000 alerts', () => {
    const alerts = Array.from({ length: 1000 }, (_, i) => ({ title: `Alert ${i}`, labels: { n: i } }));
    const result = parse({ alerts });
    assert.equal(result.alerts.length, 1000);
    assert.equal(result.alerts[999]?.labels.n, '999');
  });
});
