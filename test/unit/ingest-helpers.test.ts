// The pieces the parsers share: fingerprints, group keys, error paths, severity words and colours.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupKeyFor, labelsFingerprint } from '../../src/alerts/fingerprint.js';
import { formatPath, PayloadError } from '../../src/ingest/payloadError.js';
import { colourFamily, severityFromWord, severityInText } from '../../src/ingest/formats/shared/severity.js';

describe('labelsFingerprint', () => {
  it("is Alertmanager's fingerprint (the KubeSphere documentation's example)", () => {
    const labels = {
      alertname: 'KubePodCrashLooping',
      container: 'busybox-3jb7u6',
      instance: '10.233.71.230:8080',
      job: 'kube-state-metrics',
      namespace: 'pp1',
      pod: 'dd1-0',
      prometheus: 'kubesphere-monitoring-system/k8s',
      severity: 'critical',
    };
    assert.equal(labelsFingerprint(labels), 'a4c6c4f7a49ca0ae');
  });

  it('does not depend on key order, and is 16 hex digits', () => {
    const a = labelsFingerprint({ zone: 'eu', team: 'blue', 'ü': '🚀' });
    assert.equal(a, labelsFingerprint({ 'ü': '🚀', team: 'blue', zone: 'eu' }));
    assert.match(a, /^[0-9a-f]{16}$/);
    assert.equal(labelsFingerprint({}), 'cbf29ce484222325'); // FNV-1a's offset basis, as in Prometheus
  });

  it('tells apart label sets that concatenate alike', () => {
    assert.notEqual(labelsFingerprint({ a: 'bc' }), labelsFingerprint({ ab: 'c' }));
    assert.notEqual(labelsFingerprint({ a: '' }), labelsFingerprint({}));
  });
});

describe('groupKeyFor', () => {
  it("prefers the sender's key, then group labels, then the title", () => {
    assert.equal(groupKeyFor({ groupKey: '{}:{alertname="X"}', groupLabels: { a: '1' }, title: 't' }), '{}:{alertname="X"}');
    assert.equal(groupKeyFor({ groupKey: ' ', groupLabels: { a: '1' }, title: 't' }), labelsFingerprint({ a: '1' }));
    assert.equal(groupKeyFor({ groupLabels: null, title: 't' }), labelsFingerprint({}));
    assert.equal(groupKeyFor({ title: 'Disk full' }), groupKeyFor({ groupKey: '', title: 'Disk full' }));
    assert.notEqual(groupKeyFor({ title: 'Disk full' }), groupKeyFor({ title: 'Disk empty' }));
  });
});

describe('PayloadError', () => {
  it('writes paths like alerts[3].labels["app.kubernetes.io/name"]', () => {
    assert.equal(formatPath(['alerts', 3, 'labels']), 'alerts[3].labels');
    assert.equal(formatPath(['blocks', 2, 'text', 'text']), 'blocks[2].text.text');
    assert.equal(formatPath(['alerts', 0, 'labels', 'app.kubernetes.io/name']), 'alerts[0].labels["app.kubernetes.io/name"]');
    assert.equal(formatPath([]), '(body)');
  });

  it('carries its problems and says them in its message', () => {
    const error = new PayloadError([{ path: 'title', message: 'required' }]);
    assert.deepEqual(error.problems, [{ path: 'title', message: 'required' }]);
    assert.equal(error.message, 'invalid payload: title: required');
    assert.equal(error.name, 'PayloadError');
  });
});

describe('severity words and colours', () => {
  it('knows words, in any case and with spaces, and nothing else', () => {
    assert.equal(severityFromWord(' Critical '), 'critical');
    assert.equal(severityFromWord('p2'), 'error');
    assert.equal(severityFromWord('toString'), undefined);
    assert.equal(severityFromWord(undefined), undefined);
  });

  it('finds the most severe word in free text, ignoring words that describe something else', () => {
    assert.equal(severityInText('warning: disk at 91%, error rate critical'), 'critical');
    assert.equal(severityInText('High CPU, low disk, all ok'), undefined);
  });

  it('classifies colours by name or hue, and says nothing for grey or blue', () => {
    assert.equal(colourFamily('danger'), 'red');
    assert.equal(colourFamily('#a30200'), 'red');
    assert.equal(colourFamily('#f2c744'), 'amber');
    assert.equal(colourFamily('#2EB886'), 'green');
    assert.equal(colourFamily('#0f0'), 'green');
    assert.equal(colourFamily('#439FE0'), undefined);
    assert.equal(colourFamily('#808080'), undefined);
    assert.equal(colourFamily('chartreuse'), undefined);
  });
});
