// Grouping settings as `/herald grouping` reads them (keys, durations and their bounds, label
// names), and how a channel's settings inherit from the workspace's and Herald's defaults.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_TIMING } from '../../src/delivery/grouping.js';
import { effectiveGrouping, parseGroupBy, type GroupingColumns } from '../../src/delivery/groupingSettings.js';
import { NOTHING_SET, describeChanges, groupingKey, keysSet, parseGroupingChanges } from '../../src/setup/grouping.js';
import { describeGrouping, describeOwnGrouping } from '../../src/slack/views/describe.js';

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const words = (text: string) => text.split(' ');
const columns = (set: Partial<GroupingColumns>): GroupingColumns => ({ ...NOTHING_SET, ...set });

describe('parseGroupingChanges', () => {
  it('reads all four settings, in seconds and comma-separated labels', () => {
    assert.deepEqual(parseGroupingChanges(words('group_by=alertname,cluster group_wait=30s group_interval=5m repeat_interval=4h')), {
      ok: true,
      value: { groupBy: 'alertname,cluster', groupWaitSeconds: 30, groupIntervalSeconds: 5 * MINUTE, repeatIntervalSeconds: 4 * HOUR },
    });
  });

  it('reads any subset, leaving the others out', () => {
    assert.deepEqual(parseGroupingChanges(['repeat_interval=1h30m']), { ok: true, value: { repeatIntervalSeconds: HOUR + 30 * MINUTE } });
  });

  for (const [typed, groupBy] of [
    ['group_by=alertname, cluster', 'alertname,cluster'],
    ['group_by=alertname ,cluster', 'alertname,cluster'],
    ['group_by="alertname, cluster"', 'alertname,cluster'],
    ['group_by=...', '...'],
    ['group_by=…', '...'],
    ['GROUP-BY=_private,le0', '_private,le0'],
  ] as const) {
    it(`reads ${typed}`, () => assert.deepEqual(parseGroupingChanges(words(typed)), { ok: true, value: { groupBy } }));
  }

  for (const [typed, seconds] of [
    ['group_wait=0s', 0],
    ['group_wait=0', 0],
    ['group_wait=1h', HOUR],
    ['group_interval=1s', 1],
    ['group_interval=24h', DAY],
    ['group_interval=1d', DAY],
    ['repeat_interval=1m', MINUTE],
    ['repeat_interval=30d', 30 * DAY],
  ] as const) {
    it(`accepts the bound ${typed}`, () => {
      const result = parseGroupingChanges([typed]);
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.deepEqual(Object.values(result.ok ? result.value : {}), [seconds]);
    });
  }

  for (const [typed, error] of [
    ['group_wait=1h1s', 'group_wait=1h1s is too long: group_wait may be 0s to 1h'],
    ['group_interval=0s', 'group_interval=0s is too short: group_interval may be 1s to 24h'],
    ['group_interval=1d1s', 'group_interval=1d1s is too long: group_interval may be 1s to 24h'],
    ['repeat_interval=59s', 'repeat_interval=59s is too short: repeat_interval may be 1m to 30d'],
    ['repeat_interval=31d', 'repeat_interval=31d is too long: repeat_interval may be 1m to 30d'],
    ['repeat_interval=400d', 'repeat_interval=400d is too long: repeat_interval may be 1m to 30d'],
    ['group_wait=soon', '"soon" is not a duration for group_wait: use a number and a unit, such as 30s, 5m, 4h or 1h30m'],
    ['group_wait=1.5m', '"1.5m" is not a duration for group_wait: use a number and a unit, such as 30s, 5m, 4h or 1h30m'],
    ['group_wait=', '"" is not a duration for group_wait: use a number and a unit, such as 30s, 5m, 4h or 1h30m'],
    ['group_time=1m', 'unknown setting "group_time": the settings are group_by, group_wait, group_interval, repeat_interval'],
    ['repeat=1h', 'unknown setting "repeat": the settings are group_by, group_wait, group_interval, repeat_interval'],
    ['30s', '"30s" is not a setting: write KEY=VALUE, where KEY is one of group_by, group_wait, group_interval, repeat_interval'],
    ['group_wait=1m group_wait=2m', 'group_wait is given twice'],
    ['group_by=cluster-name', '"cluster-name" is not a label name: use letters, digits and underscores, not starting with a digit (or ... for every label)'],
    ['group_by=1st', '"1st" is not a label name: use letters, digits and underscores, not starting with a digit (or ... for every label)'],
    ['group_by=alertname,,cluster', 'group_by=alertname,,cluster has an empty label name: separate names with single commas'],
    ['group_by=alertname,alertname', 'group_by names alertname twice'],
    ['group_by=...,cluster', 'group_by=... already groups by every label: give it alone'],
    ['group_by=', 'group_by needs label names, such as group_by=alertname,cluster, or ... for every label'],
    ['group_by=,', 'group_by needs label names, such as group_by=alertname,cluster, or ... for every label'],
  ] as const) {
    it(`refuses ${typed || 'nothing'}`, () => assert.deepEqual(parseGroupingChanges(words(typed)), { ok: false, error }));
  }

  it('refuses no settings at all', () => {
    assert.deepEqual(parseGroupingChanges([]), { ok: false, error: 'give at least one setting, such as repeat_interval=4h; the settings are group_by, group_wait, group_interval, repeat_interval' });
  });
});

describe('grouping keys and descriptions', () => {
  it('knows the keys however they are typed', () => {
    assert.equal(groupingKey('Repeat-Interval'), 'repeat_interval');
    assert.equal(groupingKey('repeat'), undefined);
  });

  it('writes changes back as typed, for the audit log', () => {
    assert.equal(describeChanges({ repeatIntervalSeconds: 30 * DAY, groupBy: '...', groupWaitSeconds: 0 }), 'group_by=... group_wait=0s repeat_interval=4w2d');
  });

  it("lists a row's own settings, or none", () => {
    assert.deepEqual(keysSet(columns({ repeatIntervalSeconds: HOUR, groupBy: 'cluster' })), ['group_by', 'repeat_interval']);
    assert.equal(describeOwnGrouping(columns({ groupWaitSeconds: 0, repeatIntervalSeconds: HOUR })), '`group_wait=0s` `repeat_interval=1h`');
    assert.equal(describeOwnGrouping(NOTHING_SET), null);
  });

  it('says where each setting in force comes from', () => {
    const workspace = columns({ groupBy: 'alertname,cluster', groupWaitSeconds: 30 });
    assert.equal(describeGrouping(NOTHING_SET, null), '`group_by=alertname` _(default)_ · `group_wait=10s` _(default)_ · `group_interval=1m` _(default)_ · `repeat_interval=12h` _(default)_');
    assert.equal(describeGrouping(workspace, null), '`group_by=alertname,cluster` · `group_wait=30s` · `group_interval=1m` _(default)_ · `repeat_interval=12h` _(default)_');
    assert.equal(
      describeGrouping(workspace, columns({ groupWaitSeconds: 0, repeatIntervalSeconds: HOUR })),
      '`group_by=alertname,cluster` _(workspace)_ · `group_wait=0s` · `group_interval=1m` _(default)_ · `repeat_interval=1h`',
    );
  });
});

describe('effectiveGrouping', () => {
  it("uses Herald's defaults when nothing is set", () => {
    assert.deepEqual(effectiveGrouping(NOTHING_SET, NOTHING_SET), { groupBy: ['alertname'], timing: DEFAULT_TIMING });
  });

  it("uses the workspace's settings where the channel has none", () => {
    const workspace = columns({ groupBy: 'alertname,cluster', repeatIntervalSeconds: 4 * HOUR });
    assert.deepEqual(effectiveGrouping(workspace, NOTHING_SET), {
      groupBy: ['alertname', 'cluster'],
      timing: { ...DEFAULT_TIMING, repeatIntervalMs: 4 * HOUR * 1000 },
    });
  });

  it("lets each of a channel's settings override the workspace's, one by one", () => {
    const workspace = columns({ groupBy: 'alertname,cluster', groupWaitSeconds: 30, repeatIntervalSeconds: 4 * HOUR });
    const channel = columns({ groupWaitSeconds: 0, groupIntervalSeconds: 5 * MINUTE });
    assert.deepEqual(effectiveGrouping(workspace, channel), {
      groupBy: ['alertname', 'cluster'],
      timing: { groupWaitMs: 0, groupIntervalMs: 5 * MINUTE * 1000, repeatIntervalMs: 4 * HOUR * 1000 },
    });
  });

  it('keeps a zero group_wait rather than falling back to the default', () => {
    assert.equal(effectiveGrouping(columns({ groupWaitSeconds: 30 }), columns({ groupWaitSeconds: 0 })).timing.groupWaitMs, 0);
  });

  it("reads `...` as every label, from the channel over the workspace's list", () => {
    assert.equal(effectiveGrouping(columns({ groupBy: 'cluster' }), columns({ groupBy: '...' })).groupBy, 'all');
    assert.deepEqual(parseGroupBy(' alertname , cluster ,'), ['alertname', 'cluster']);
  });
});
