import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { channelAccepts, formatChannelFilters, parseChannelFilters } from '../../src/alerts/filters.js';

describe('parseChannelFilters', () => {
  for (const [text, canonical] of [
    ['', ''],
    ['severity>=critical', 'severity>=critical'],
    ['severity>=ERROR team=~"db|cache"', 'severity>=error team=~"db|cache"'],
    ['team=db, env!=staging', 'team=db env!=staging'],
    ['  severity>=warning   service!~"batch.*"  ', 'severity>=warning service!~batch.*'],
    ['summary="disk full, again"', 'summary="disk full, again"'],
  ] as const) {
    it(`reads "${text}"`, () => {
      const filters = parseChannelFilters(text);
      assert.ok(filters.ok, filters.ok ? '' : filters.error);
      assert.equal(formatChannelFilters(filters.value), canonical);
    });
  }

  for (const [text, error] of [
    ['severity>=urgent', 'unknown severity "urgent" in severity>=urgent: use info, warning, error or critical'],
    ['severity>=', 'unknown severity "" in severity>=: use info, warning, error or critical'],
    ['severity>critical', '"severity>critical" is not a filter Herald knows: use severity>=LEVEL (info, warning, error or critical)'],
    ['severity<=info', '"severity<=info" is not a filter Herald knows: use severity>=LEVEL (info, warning, error or critical)'],
    ['severity>=info severity>=error', 'severity>= is given twice: keep one'],
    ['team=~"db(cache"', 'the regex in "team=~"db(cache"" is invalid: Unterminated group'],
    ['=db', '"=db" has an empty label name: write the label before ='],
    ['team', '"team" is not a matcher: use name=value, name!=value, name=~regex or name!~regex'],
    ['team="db', 'a quote is not closed in: team="db'],
  ] as const) {
    it(`refuses "${text}" with the reason`, () => assert.deepEqual(parseChannelFilters(text), { ok: false, error }));
  }
});

describe('channelAccepts', () => {
  const alert = (severity: 'info' | 'warning' | 'error' | 'critical', labels: Record<string, string> = {}) => ({ severity, labels });

  it('takes everything without filters', () => {
    assert.equal(channelAccepts('', alert('info')), true);
  });

  it('compares severities in the order info < warning < error < critical', () => {
    assert.equal(channelAccepts('severity>=error', alert('warning')), false);
    assert.equal(channelAccepts('severity>=error', alert('error')), true);
    assert.equal(channelAccepts('severity>=error', alert('critical')), true);
    assert.equal(channelAccepts('severity>=info', alert('info')), true);
  });

  it('needs every matcher to hold', () => {
    const filters = 'severity>=warning team=~"db|cache" env!=staging';
    assert.equal(channelAccepts(filters, alert('critical', { team: 'db', env: 'production' })), true);
    assert.equal(channelAccepts(filters, alert('critical', { team: 'db', env: 'staging' })), false);
    assert.equal(channelAccepts(filters, alert('critical', { team: 'web', env: 'production' })), false);
    assert.equal(channelAccepts(filters, alert('info', { team: 'db', env: 'production' })), false);
  });

  it('takes every alert when stored filters no longer parse (better a surplus alert than a lost one)', () => {
    assert.equal(channelAccepts('severity>=urgent', alert('info')), true);
  });
});
