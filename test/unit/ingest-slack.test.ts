import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { labelsFingerprint } from '../../src/alerts/fingerprint.js';
import { parsePayload } from '../../src/ingest/parse.js';
import { NOW, loadFixture, problemsOf } from '../fixtures/ingest/fixtures.js';

const parse = (body: unknown) => parsePayload('slack', body, NOW);
const only = (body: unknown) => {
  const { alerts } = parse(body);
  assert.equal(alerts.length, 1);
  return alerts[0]!;
};

describe('slack: an Amplitude-style attachment message', () => {
  const body = loadFixture('slack/amplitude');
  const alert = only(body);

  it('takes title, text, severity and the link from the attachment', () => {
    assert.equal(alert.source, 'slack');
    assert.equal(alert.status, 'firing');
    assert.equal(alert.severity, 'critical'); // color "danger"
    assert.equal(alert.title, 'Checkout conversion dropped');
    assert.equal(
      alert.text,
      'Amplitude monitor triggered: Checkout conversion dropped\n\nCustom monitor alert for project Production\n\n' +
        'Conversion from *View Cart* to *Purchase* was 31.2% yesterday, 23% below the expected 40.5%.',
    );
    assert.deepEqual(alert.links, [{ title: 'Source', url: 'https://app.amplitude.com/analytics/acme/chart/abc123' }]);
  });

  it('keeps fields (numbers as text) and the footer as annotations', () => {
    assert.deepEqual(alert.annotations, { Project: 'Production', Expected: '40.5%', Actual: '31.2', footer: 'Amplitude' });
  });

  it('keeps the attachments exactly as sent', () => {
    assert.deepEqual(alert.slack, { attachments: body.attachments });
  });

  it('starts now, names the alert by its title and groups by it', () => {
    assert.equal(alert.startsAt?.toISOString(), NOW.toISOString());
    assert.equal(alert.endsAt, null);
    assert.deepEqual(alert.labels, { alertname: 'Checkout conversion dropped' });
    assert.equal(alert.fingerprint, labelsFingerprint({ alertname: 'Checkout conversion dropped' }));
  });
});

describe('slack: a W&B legacy Block Kit message', () => {
  const body = loadFixture('slack/wandb-legacy');
  const alert = only(body);

  it('takes the title from text and keeps the blocks as sent', () => {
    assert.equal(alert.title, 'New alert from WANDB!');
    assert.equal(alert.text, '');
    assert.equal(alert.severity, 'warning');
    assert.equal(alert.status, 'firing');
    assert.deepEqual(alert.slack, { blocks: body.blocks });
  });

  it('takes the title from the first block with text when there is no text', () => {
    const blocksOnly = { blocks: (body.blocks as unknown[]).slice(2) }; // divider, then "Author: ana"
    assert.equal(only(blocksOnly).title, 'Author: ana');
  });

  it('ignores username, icon_emoji and channel', () => {
    assert.equal(only({ ...body, username: 'wandb', icon_emoji: ':robot_face:', channel: '#ml' }).title, 'New alert from WANDB!');
  });
});

describe('slack: status and severity rules', () => {
  it('is resolved when an attachment is green', () => {
    for (const color of ['good', '#2eb886', '36a64f']) {
      const alert = only({ attachments: [{ color, title: 'Checkout conversion back to normal' }] });
      assert.equal(alert.status, 'resolved', color);
      assert.equal(alert.severity, 'info', color);
      assert.equal(alert.endsAt?.toISOString(), NOW.toISOString());
    }
  });

  it('is resolved when the title says resolved or recovered', () => {
    assert.equal(only({ text: '[RESOLVED] Disk full on db-1' }).status, 'resolved');
    assert.equal(only({ text: 'Service recovered' }).status, 'resolved');
    assert.equal(only({ text: 'Disk full on db-1', attachments: [{ text: 'will be resolved soon' }] }).status, 'firing');
  });

  it('gives the firing and the resolved message of one problem the same fingerprint and group', () => {
    const firing = only({ text: '🔥 Firing: Disk full on db-1' });
    const resolved = only({ text: '✅ Resolved: Disk full on db-1' });
    assert.equal(firing.labels.alertname, 'Disk full on db-1');
    assert.equal(firing.fingerprint, resolved.fingerprint);
    assert.equal(firing.groupKey, resolved.groupKey);
  });

  it('reads severity from the colour: danger/red, warning/orange/yellow, good/green', () => {
    const severity = (color: string) => only({ attachments: [{ color, text: 'x' }] }).severity;
    assert.equal(severity('danger'), 'critical');
    assert.equal(severity('#E01E5A'), 'critical');
    assert.equal(severity('warning'), 'warning');
    assert.equal(severity('#ECB22E'), 'warning');
    assert.equal(severity('#ff8800'), 'warning');
    assert.equal(severity('good'), 'info');
  });

  it('falls back to severity words, then warning, when the colour says nothing', () => {
    assert.equal(only({ attachments: [{ color: '#439FE0', title: 'CRITICAL: payments down' }] }).severity, 'critical');
    assert.equal(only({ text: 'Job failed with an error' }).severity, 'error');
    assert.equal(only({ text: 'High CPU usage' }).severity, 'warning');
  });

  it('handles unicode', () => {
    const alert = only({ text: 'Ünïcødé 日本語 🚀\nsecond line' });
    assert.equal(alert.title, 'Ünïcødé 日本語 🚀');
    assert.equal(alert.text, 'Ünïcødé 日本語 🚀\nsecond line');
  });
});

describe('slack: refused messages', () => {
  it('refuses a message with nothing to show', () => {
    for (const body of [{}, { text: '  ' }, { blocks: [], attachments: [] }]) {
      assert.deepEqual(problemsOf(() => parse(body)), [{ path: '(body)', message: 'needs "text", "blocks" or "attachments"' }]);
    }
  });

  it('names wrong field types', () => {
    assert.deepEqual(problemsOf(() => parse({ text: 5, attachments: [{ color: 1, fields: [{ title: 'a', value: {} }] }] })), [
      { path: 'text', message: 'expected a string' },
      { path: 'attachments[0].color', message: 'expected a string' },
      { path: 'attachments[0].fields[0].value', message: 'expected a string' },
    ]);
    assert.deepEqual(problemsOf(() => parse({ blocks: 'section' })), [{ path: 'blocks', message: 'expected a list' }]);
  });

  it("refuses a message Block Kit's limits refuse (51 blocks)", () => {
    const problems = problemsOf(() => parse({ text: 'x', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }));
    assert.ok(problems.length >= 1);
    assert.ok(problems.every((problem) => problem.path.startsWith('blocks') && problem.message !== ''));
  });

  it('accepts 50 blocks', () => {
    assert.equal(only({ text: 'x', blocks: Array.from({ length: 50 }, () => ({ type: 'divider' })) }).slack?.blocks?.length, 50);
  });
});
