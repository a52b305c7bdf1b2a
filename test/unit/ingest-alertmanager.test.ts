import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { labelsFingerprint } from '../../src/alerts/fingerprint.js';
import { parsePayload } from '../../src/ingest/parse.js';
import { NOW, copy, loadFixture, problemsOf } from '../fixtures/ingest/fixtures.js';

const firing = loadFixture('alertmanager/firing');
const parse = (body: unknown) => parsePayload('alertmanager', body, NOW);

/** A minimal valid alert of the Alertmanager model. */
function amAlert(overrides: Record<string, unknown> = {}) {
  return { status: 'firing', labels: { alertname: 'Test' }, annotations: {}, startsAt: '2024-05-14T09:00:00Z', ...overrides };
}

describe('alertmanager: a firing notification', () => {
  const result = parse(firing);
  const [first, second] = result.alerts;

  it('keeps every alert, the payload fields and the group key as sent', () => {
    assert.equal(result.alerts.length, 2);
    assert.equal(result.truncatedAlerts, 0);
    assert.equal(result.externalURL, 'https://alertmanager.prod.example.com');
    for (const alert of result.alerts) {
      assert.equal(alert.source, 'alertmanager');
      assert.equal(alert.groupKey, '{}/{severity=~"critical|warning"}:{alertname="NodeFilesystemAlmostOutOfSpace"}');
    }
  });

  it('maps status, severity, title and text', () => {
    assert.equal(first?.status, 'firing');
    assert.equal(first?.severity, 'critical');
    assert.equal(second?.severity, 'warning');
    assert.equal(first?.title, 'Filesystem has less than 3% space left.');
    assert.equal(first?.text, 'Filesystem on /dev/nvme0n1p1 at node-1.prod.example.com:9100 has only 2.41% available space left.');
  });

  it('keeps labels and annotations exactly', () => {
    assert.deepEqual(first?.labels, (firing.alerts as { labels: unknown }[])[0]?.labels);
    assert.deepEqual(first?.annotations, (firing.alerts as { annotations: unknown }[])[0]?.annotations);
  });

  it('links Source, Runbook and Dashboard, in that order', () => {
    assert.deepEqual(
      first?.links.map((link) => link.title),
      ['Source', 'Runbook', 'Dashboard'],
    );
    assert.match(first?.links[0]?.url ?? '', /^https:\/\/prometheus\.prod\.example\.com\/graph\?g0\.expr=/);
    assert.equal(first?.links[2]?.url, 'https://grafana.prod.example.com/d/node-exporter/nodes?var-instance=node-1.prod.example.com:9100');
    assert.deepEqual(second?.links.map((link) => link.title), ['Source', 'Runbook']);
  });

  it('reads the start (nanoseconds included) and treats the zero end time as "no end"', () => {
    assert.equal(first?.startsAt?.toISOString(), '2024-05-14T09:21:37.558Z');
    assert.equal(second?.startsAt?.toISOString(), '2024-05-14T09:24:07.558Z');
    assert.equal(first?.endsAt, null);
  });

  it("keeps the sender's fingerprint, which is the labels' fingerprint", () => {
    assert.equal(first?.fingerprint, 'ba9fd657945e21d9');
    assert.equal(first?.fingerprint, labelsFingerprint(first?.labels ?? {}));
  });
});

describe('alertmanager: the resolved notification of the same group', () => {
  const [alert] = parse(loadFixture('alertmanager/resolved')).alerts;
  const [firingAlert] = parse(firing).alerts;

  it('is resolved, ends when Alertmanager says, and matches the firing alert', () => {
    assert.equal(alert?.status, 'resolved');
    assert.equal(alert?.endsAt?.toISOString(), '2024-05-14T10:02:52.558Z');
    assert.equal(alert?.fingerprint, firingAlert?.fingerprint);
    assert.equal(alert?.groupKey, firingAlert?.groupKey);
  });

  it('ends now when a resolved alert has no end time', () => {
    const [withoutEnd] = parse({ alerts: [amAlert({ status: 'resolved', endsAt: '0001-01-01T00:00:00Z' })] }).alerts;
    assert.equal(withoutEnd?.endsAt?.toISOString(), NOW.toISOString());
  });
});

describe('alertmanager: KubeSphere notification-manager', () => {
  const result = parse(loadFixture('alertmanager/kubesphere'));
  const [alert] = result.alerts;

  it('accepts its shape: status "", no version or groupKey, null commonAnnotations', () => {
    assert.equal(result.alerts.length, 1);
    assert.equal(result.externalURL, 'http://alertmanager-main-0:9093');
  });

  it('maps KubeSphere labels and the unicode summary', () => {
    assert.equal(alert?.title, '节点 node3 内存用量 > 80%');
    assert.equal(alert?.text, ''); // `message` is "" and the summary is already the title
    assert.equal(alert?.severity, 'critical');
    assert.equal(alert?.labels.alerttype, 'metric');
    assert.equal(alert?.labels.rule_id, '5833f0c89f6db903');
    assert.equal(alert?.labels.cluster, 'default');
    assert.equal(alert?.annotations.kind, 'Node');
  });

  it('drops the relative generatorURL, which Slack would refuse as a button', () => {
    assert.deepEqual(alert?.links, []);
  });

  it('derives the group key from the group labels, whatever their order', () => {
    assert.equal(
      alert?.groupKey,
      labelsFingerprint({ rule_id: '5833f0c89f6db903', namespace: 'kubesphere-monitoring-system', alertname: 'node-mem-alert' }),
    );
  });
});

describe('alertmanager: mappings', () => {
  const severityOf = (severity: string | undefined) =>
    parse({ alerts: [amAlert({ labels: severity === undefined ? {} : { severity } })] }).alerts[0]?.severity;

  it('maps common severity words, in any case', () => {
    for (const word of ['critical', 'crit', 'page', 'P1', 'fatal', 'emergency']) assert.equal(severityOf(word), 'critical', word);
    for (const word of ['error', 'err', 'high', 'Major']) assert.equal(severityOf(word), 'error', word);
    for (const word of ['warning', 'warn', 'medium', 'minor']) assert.equal(severityOf(word), 'warning', word);
    for (const word of ['info', 'informational', 'low', 'none', 'OK']) assert.equal(severityOf(word), 'info', word);
  });

  it('uses warning for an unknown or missing severity', () => {
    assert.equal(severityOf('sev-banana'), 'warning');
    assert.equal(severityOf(undefined), 'warning');
  });

  it('takes the title from summary, then title, then alertname; the text from description, message, summary', () => {
    const [a, b, c] = parse({
      alerts: [
        amAlert({ annotations: { title: 'From title', message: 'From message' } }),
        amAlert({ annotations: { summary: 'Line one\nline two', description: 'From description' } }),
        amAlert({ labels: { alertname: 'OnlyAName' }, annotations: {} }),
      ],
    }).alerts;
    assert.deepEqual([a?.title, a?.text], ['From title', 'From message']);
    assert.deepEqual([b?.title, b?.text], ['Line one', 'From description']);
    assert.deepEqual([c?.title, c?.text], ['OnlyAName', '']);
  });

  it('links grafana_url as Dashboard when there is no dashboard_url', () => {
    const [alert] = parse({ alerts: [amAlert({ annotations: { grafana_url: 'https://grafana.example.com/d/x' } })] }).alerts;
    assert.deepEqual(alert?.links, [{ title: 'Dashboard', url: 'https://grafana.example.com/d/x' }]);
  });

  it('computes the fingerprint from the labels when the sender gives none', () => {
    const [a, b] = parse({
      alerts: [amAlert({ labels: { b: '2', a: '1' } }), amAlert({ labels: { a: '1', b: '2' }, fingerprint: '' })],
    }).alerts;
    assert.equal(a?.fingerprint, labelsFingerprint({ a: '1', b: '2' }));
    assert.equal(a?.fingerprint, b?.fingerprint);
  });

  it('accepts missing optional fields, null maps and an empty alert list', () => {
    const [alert] = parse({ alerts: [{ status: 'firing', labels: null }] }).alerts;
    assert.deepEqual(alert?.labels, {});
    assert.deepEqual(alert?.annotations, {});
    assert.equal(alert?.title, 'Untitled alert');
    assert.equal(alert?.startsAt?.toISOString(), NOW.toISOString());
    assert.deepEqual(parse({ alerts: [] }), { alerts: [], truncatedAlerts: 0, externalURL: null });
  });

  it('reports truncatedAlerts', () => {
    assert.equal(parse({ truncatedAlerts: 7, alerts: [] }).truncatedAlerts, 7);
  });

  it('keeps a very long annotation (within 64 KiB) intact, and unicode labels', () => {
    const long = 'ü'.repeat(32 * 1024); // 64 KiB of UTF-8 exactly
    const [alert] = parse({ alerts: [amAlert({ labels: { alertname: 'Ünïcødé 🚀', 'app.kubernetes.io/name': 'ñ' }, annotations: { description: long } })] }).alerts;
    assert.equal(alert?.annotations.description, long);
    assert.equal(alert?.text, long);
    assert.equal(alert?.title, 'Ünïcødé 🚀');
    assert.equal(alert?.labels['app.kubernetes.io/name'], 'ñ');
  });

  it('parses 1,000 alerts in one payload', () => {
    const alerts = Array.from({ length: 1000 }, (_, i) => amAlert({ labels: { alertname: 'Many', instance: `host-${i}` } }));
    const result = parse({ groupKey: 'g', alerts });
    assert.equal(result.alerts.length, 1000);
    assert.equal(new Set(result.alerts.map((alert) => alert.fingerprint)).size, 1000);
    assert.equal(result.alerts[999]?.labels.instance, 'host-999');
  });
});

describe('alertmanager: refused payloads', () => {
  it('refuses a body that is not an object, or has no alerts', () => {
    assert.deepEqual(problemsOf(() => parse('hello')), [{ path: '(body)', message: 'expected an object' }]);
    assert.deepEqual(problemsOf(() => parse(null)), [{ path: '(body)', message: 'expected an object' }]);
    assert.deepEqual(problemsOf(() => parse({ status: 'firing' })), [{ path: 'alerts', message: 'required' }]);
    assert.deepEqual(problemsOf(() => parse({ alerts: {} })), [{ path: 'alerts', message: 'expected a list' }]);
  });

  it('names the path and the problem of each wrong field', () => {
    const body = copy(firing) as { alerts: Record<string, unknown>[] };
    body.alerts[1] = { ...body.alerts[1], status: 'pending', labels: { team: 7 }, startsAt: 'yesterday' };
    delete body.alerts[0]?.status;
    assert.deepEqual(problemsOf(() => parse(body)), [
      { path: 'alerts[0].status', message: 'required' },
      { path: 'alerts[1].status', message: 'must be "firing" or "resolved"' },
      { path: 'alerts[1].labels.team', message: 'expected a string' },
      { path: 'alerts[1].startsAt', message: 'expected a date and time like 2024-05-01T12:00:00Z' },
    ]);
  });

  it('quotes label names that are not plain identifiers in the path', () => {
    assert.deepEqual(problemsOf(() => parse({ alerts: [amAlert({ labels: { 'app.kubernetes.io/name': null } })] })), [
      { path: 'alerts[0].labels["app.kubernetes.io/name"]', message: 'expected a string' },
    ]);
  });

  it('refuses a negative or fractional truncatedAlerts', () => {
    assert.deepEqual(problemsOf(() => parse({ truncatedAlerts: -1, alerts: [] })), [{ path: 'truncatedAlerts', message: 'must not be negative' }]);
    assert.deepEqual(problemsOf(() => parse({ truncatedAlerts: 1.5, alerts: [] })), [{ path: 'truncatedAlerts', message: 'expected a whole number' }]);
  });

  it('refuses a label or annotation value over 64 KiB instead of truncating it', () => {
    const tooLong = 'ü'.repeat(32 * 1024) + 'x'; // 65,537 bytes
    assert.deepEqual(problemsOf(() => parse({ alerts: [amAlert({ annotations: { description: tooLong } })] })), [
      { path: 'alerts[0].annotations.description', message: 'longer than 64 KiB (at most 65536 bytes of UTF-8 allowed)' },
    ]);
  });

  it('refuses more than 10,000 alerts without looking at them', () => {
    const alerts = new Array(10_001).fill('not even an alert');
    assert.deepEqual(problemsOf(() => parse({ alerts })), [
      { path: 'alerts', message: 'too many alerts: at most 10000 allowed per payload' },
    ]);
  });

  it('lists at most 100 problems, then says how many more there are', () => {
    const problems = problemsOf(() => parse({ alerts: new Array(150).fill({ status: 'nope' }) }));
    assert.equal(problems.length, 101);
    assert.deepEqual(problems[100], { path: '(body)', message: 'and 50 more problems not listed' });
  });
});
