// The pure parts of delivery: which channels an alert goes to, which group it joins, what a Slack
// failure means, and how long to back off.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Alert } from '../../src/alerts/alert.js';
import type { SilenceWindow } from '../../src/alerts/silences.js';
import { backoffMs } from '../../src/delivery/backoff.js';
import { groupIdentity } from '../../src/delivery/groupKey.js';
import { DEFAULT_PLAN_LIMITS, planLimits } from '../../src/delivery/planner.js';
import { routeAlert, type RoutableChannel } from '../../src/delivery/routing.js';
import { classifySlackFailure } from '../../src/delivery/slackOutcome.js';

// Kept free of the database helpers: a unit test loads no Prisma client.
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = new Date(Date.UTC(2026, 0, 5, 9, 0, 0));
const at = (ms: number) => new Date(T0.getTime() + ms);
const alertOf = (status: Alert['status'], labels: Record<string, string>, severity: Alert['severity']): Alert => ({
  source: 'alertmanager',
  status,
  severity,
  title: labels.alertname ?? 'alert',
  text: '',
  labels,
  annotations: {},
  links: [],
  startsAt: T0,
  endsAt: null,
  fingerprint: JSON.stringify(labels),
  groupKey: 'sender',
});

const channel = (id: string, p: Partial<RoutableChannel> = {}): RoutableChannel => ({ id, filters: '', mutedUntil: null, brokenAt: null, ...p });
const ids = (channels: readonly RoutableChannel[]) => channels.map((c) => c.id);
const silence = (matchers: string, startsAt: Date, endsAt: Date): SilenceWindow => ({ matchers, startsAt, endsAt });

describe('routeAlert', () => {
  const now = T0;
  const disk = alertOf('firing', { alertname: 'DiskFull', team: 'db', env: 'prod' }, 'error');

  it('sends a firing alert to every channel whose filters all hold, keeping the channels’ order', () => {
    const channels = [
      channel('all'),
      channel('errors', { filters: 'severity>=error' }),
      channel('critical', { filters: 'severity>=critical' }),
      channel('db', { filters: 'team=db' }),
      channel('db-staging', { filters: 'team=db env=staging' }),
      channel('not-web', { filters: 'team!=web' }),
      channel('regex', { filters: 'team=~"db|cache"' }),
      channel('regex-whole', { filters: 'env=~pro' }),
    ];
    assert.deepEqual(ids(routeAlert(disk, channels, [], now)), ['all', 'errors', 'db', 'not-web', 'regex']);
  });

  it('returns the channel objects given, not copies', () => {
    const c = channel('all');
    assert.equal(routeAlert(disk, [c], [], now)[0], c);
  });

  it('keeps firing alerts from broken channels, but lets resolved ones through to turn their message green after the repair', () => {
    const channels = [channel('broken', { brokenAt: at(-HOUR) }), channel('ok')];
    assert.deepEqual(ids(routeAlert(disk, channels, [], now)), ['ok']);
    assert.deepEqual(ids(routeAlert({ ...disk, status: 'resolved' }, channels, [], now)), ['broken', 'ok']);
  });

  it('holds firing alerts back from a channel muted until later, not from one whose mute ended', () => {
    const channels = [channel('muted', { mutedUntil: at(MINUTE) }), channel('mute-ends-now', { mutedUntil: now }), channel('mute-ended', { mutedUntil: at(-MINUTE) })];
    assert.deepEqual(ids(routeAlert(disk, channels, [], now)), ['mute-ends-now', 'mute-ended']);
  });

  it('lets resolved alerts through mutes and silences, but not through filters', () => {
    const done = alertOf('resolved', { alertname: 'DiskFull', team: 'db', env: 'prod' }, 'error');
    const channels = [channel('muted', { mutedUntil: at(HOUR) }), channel('web', { filters: 'team=web' })];
    const silences = [silence('alertname=DiskFull', at(-HOUR), at(HOUR))];
    assert.deepEqual(ids(routeAlert(done, channels, silences, now)), ['muted']);
  });

  it('keeps a firing alert out of every channel while a silence matching all its matchers is active', () => {
    const channels = [channel('a'), channel('b', { filters: 'team=db' })];
    assert.deepEqual(ids(routeAlert(disk, channels, [silence('alertname=DiskFull,env=~"pr.*"', at(-HOUR), at(HOUR))], now)), []);
    assert.deepEqual(ids(routeAlert(disk, channels, [silence('alertname=DiskFull', now, at(HOUR))], now)), [], 'from its start, inclusive');
  });

  it('ignores silences that do not match every matcher, have ended, or have not started', () => {
    const channels = [channel('a')];
    const silences = [
      silence('alertname=DiskFull,env=staging', at(-HOUR), at(HOUR)),
      silence('alertname=DiskFull', at(-HOUR), now), // ends now: over
      silence('alertname=DiskFull', at(MINUTE), at(HOUR)),
      silence('alertname=CpuHigh', at(-HOUR), at(HOUR)),
      silence('not a matcher list ===', at(-HOUR), at(HOUR)), // unreadable: silences nothing
    ];
    assert.deepEqual(ids(routeAlert(disk, channels, silences, now)), ['a']);
  });

  it('gives an alert that no channel takes no channel', () => {
    assert.deepEqual(routeAlert(disk, [], [], now), []);
    assert.deepEqual(ids(routeAlert(disk, [channel('web', { filters: 'team=web' })], [], now)), []);
  });
});

describe('groupIdentity', () => {
  const alert = (labels: Record<string, string>, groupKey = 'sender-1'): Pick<Alert, 'labels' | 'groupKey'> => ({ labels, groupKey });

  it('keys by the group_by labels’ values, whatever else differs', () => {
    const one = groupIdentity(alert({ alertname: 'DiskFull', instance: 'a' }, 'x'), ['alertname']);
    const two = groupIdentity(alert({ alertname: 'DiskFull', instance: 'b', team: 'db' }, 'y'), ['alertname']);
    assert.equal(one.key, two.key);
    assert.deepEqual(one.labels, { alertname: 'DiskFull' });
    assert.match(one.key, /^[0-9a-f]{64}$/);
    assert.notEqual(groupIdentity(alert({ alertname: 'CpuHigh' }), ['alertname']).key, one.key);
  });

  it('is stable: the same labels in any order, and group_by in any order, give the same key and sorted labels', () => {
    const a = groupIdentity(alert({ cluster: 'eu', alertname: 'DiskFull', zone: '1' }), ['zone', 'alertname', 'cluster']);
    const b = groupIdentity(alert({ zone: '1', alertname: 'DiskFull', cluster: 'eu' }), ['cluster', 'zone', 'alertname']);
    assert.equal(a.key, b.key);
    assert.deepEqual(Object.keys(a.labels), ['alertname', 'cluster', 'zone']);
    assert.deepEqual(Object.keys(b.labels), ['alertname', 'cluster', 'zone']);
    assert.equal(groupIdentity(alert({ alertname: 'DiskFull' }), ['alertname']).key, groupIdentity(alert({ alertname: 'DiskFull' }), ['alertname']).key);
  });

  it('keys by the group_by labels the alert has, leaving out those it lacks', () => {
    const partial = groupIdentity(alert({ alertname: 'DiskFull' }), ['alertname', 'cluster']);
    assert.deepEqual(partial.labels, { alertname: 'DiskFull' });
    assert.notEqual(partial.key, groupIdentity(alert({ alertname: 'DiskFull', cluster: 'eu' }), ['alertname', 'cluster']).key);
  });

  it('keys by every label with `all`, sorted', () => {
    const all = groupIdentity(alert({ instance: 'a', alertname: 'DiskFull' }), 'all');
    assert.deepEqual(Object.entries(all.labels), [
      ['alertname', 'DiskFull'],
      ['instance', 'a'],
    ]);
    assert.notEqual(all.key, groupIdentity(alert({ instance: 'b', alertname: 'DiskFull' }), 'all').key);
  });

  it('falls back to the sender’s group key when the alert has none of the group_by labels', () => {
    const one = groupIdentity(alert({ job: 'train' }, 'wandb:run-1'), ['alertname']);
    assert.deepEqual(one.labels, {});
    assert.equal(one.key, groupIdentity(alert({ job: 'eval' }, 'wandb:run-1'), ['alertname']).key, 'same sender group');
    assert.notEqual(one.key, groupIdentity(alert({ job: 'train' }, 'wandb:run-2'), ['alertname']).key, 'another sender group');
    assert.equal(groupIdentity(alert({}, 'wandb:run-1'), 'all').key, one.key, '`all` with no labels at all');
    assert.equal(groupIdentity(alert({ alertname: 'X' }, 'wandb:run-1'), []).key, one.key, 'an empty group_by');
  });

  it('never confuses a label group with a sender group', () => {
    // A sender key that spells what the labels would: still two groups.
    const byLabels = groupIdentity(alert({ alertname: 'DiskFull' }, 'k'), ['alertname']);
    const bySender = groupIdentity(alert({}, JSON.stringify({ alertname: 'DiskFull' })), ['alertname']);
    assert.notEqual(byLabels.key, bySender.key);
  });

  it('does not take inherited object properties for labels', () => {
    const identity = groupIdentity(alert({ alertname: 'DiskFull' }, 's'), ['alertname', 'constructor', 'toString']);
    assert.deepEqual(identity.labels, { alertname: 'DiskFull' });
  });
});

describe('classifySlackFailure', () => {
  const platform = (error: string) => Object.assign(new Error(`An API error occurred: ${error}`), { code: 'slack_webapi_platform_error', data: { ok: false, error } });

  it('reads a 429 as rate limited, for Retry-After seconds (at least one)', () => {
    assert.deepEqual(classifySlackFailure({ code: 'slack_webapi_rate_limited_error', retryAfter: 7 }), { kind: 'rate_limited', retryAfterMs: 7000 });
    assert.deepEqual(classifySlackFailure({ code: 'slack_webapi_rate_limited_error', retryAfter: 0 }), { kind: 'rate_limited', retryAfterMs: 1000 });
    assert.deepEqual(classifySlackFailure({ code: 'slack_webapi_rate_limited_error' }), { kind: 'rate_limited', retryAfterMs: 1000 });
    assert.deepEqual(classifySlackFailure({ code: 'slack_webapi_rate_limited_error', retryAfter: 'soon' }), { kind: 'rate_limited', retryAfterMs: 1000 });
  });

  it('reads HTTP and request errors as transient', () => {
    assert.deepEqual(classifySlackFailure({ code: 'slack_webapi_http_error', statusCode: 503 }), { kind: 'transient', reason: 'http_503' });
    assert.deepEqual(classifySlackFailure({ code: 'slack_webapi_http_error', statusCode: 500 }), { kind: 'transient', reason: 'http_500' });
    const request = Object.assign(new Error('A request error occurred: connect ECONNREFUSED'), { code: 'slack_webapi_request_error', original: new Error('ECONNREFUSED') });
    assert.deepEqual(classifySlackFailure(request), { kind: 'transient', reason: 'request_failed' });
  });

  it('sorts Slack’s error codes by what Herald must do', () => {
    const expected: [string, string][] = [
      ['is_archived', 'channel_broken'],
      ['channel_not_found', 'channel_broken'],
      ['not_in_channel', 'channel_broken'],
      ['channel_is_archived', 'channel_broken'],
      ['token_revoked', 'installation_gone'],
      ['account_inactive', 'installation_gone'],
      ['invalid_auth', 'installation_gone'],
      ['not_authed', 'installation_gone'],
      ['team_access_not_granted', 'installation_gone'],
      ['msg_too_long', 'too_large'],
      ['msg_blocks_too_long', 'too_large'],
      ['invalid_blocks', 'too_large'],
      ['too_many_attachments', 'too_large'],
      ['token_expired', 'token_expired'],
      ['message_not_found', 'message_gone'],
      ['cant_update_message', 'message_gone'],
      ['thread_not_found', 'message_gone'],
      ['internal_error', 'transient'],
      ['fatal_error', 'transient'],
      ['service_unavailable', 'transient'],
      ['ratelimited', 'transient'],
      ['invalid_arguments', 'permanent'],
      ['restricted_action', 'permanent'],
      ['missing_scope', 'permanent'],
    ];
    for (const [error, kind] of expected) assert.deepEqual(classifySlackFailure(platform(error)), { kind, reason: error }, error);
    assert.deepEqual(classifySlackFailure({ code: 'slack_webapi_platform_error', data: { error: 'is_archived' } }), { kind: 'channel_broken', reason: 'is_archived' });
  });

  it('reads a platform error without an error code as permanent and unknown', () => {
    assert.deepEqual(classifySlackFailure({ code: 'slack_webapi_platform_error' }), { kind: 'permanent', reason: 'unknown_error' });
    assert.deepEqual(classifySlackFailure({ code: 'slack_webapi_platform_error', data: { error: 42 } }), { kind: 'permanent', reason: 'unknown_error' });
  });

  it('retries anything that is not an answer from Slack', () => {
    for (const thrown of [new Error('boom'), new TypeError('x is undefined'), 'a string', 42, { code: 'ECONNRESET' }]) {
      assert.deepEqual(classifySlackFailure(thrown), { kind: 'transient', reason: 'unexpected_error' }, String(thrown));
    }
  });

  it('retries a thrown null or undefined too', () => {
    assert.deepEqual(classifySlackFailure(null), { kind: 'transient', reason: 'unexpected_error' });
    assert.deepEqual(classifySlackFailure(undefined), { kind: 'transient', reason: 'unexpected_error' });
  });
});

describe('backoffMs', () => {
  const ceiling = (attempt: number) => Math.min(5 * MINUTE, 1000 * 2 ** (attempt - 1));
  const lowest = () => 0;
  const highest = () => 1 - Number.EPSILON;

  it('waits between half and all of min(5 min, 1 s·2^(n−1))', () => {
    for (let attempt = 1; attempt <= 40; attempt++) {
      const top = ceiling(attempt);
      assert.equal(backoffMs(attempt, lowest), top / 2, `attempt ${attempt}, lowest`);
      assert.equal(backoffMs(attempt, highest), top, `attempt ${attempt}, highest`);
      for (const r of [0.1, 0.25, 0.5, 0.9]) {
        const wait = backoffMs(attempt, () => r);
        assert.ok(wait >= top / 2 && wait <= top, `attempt ${attempt}, random ${r}: ${wait}`);
        assert.equal(wait, Math.round(top / 2 + (r * top) / 2));
      }
    }
    assert.deepEqual([1, 2, 3, 4].map((n) => backoffMs(n, highest)), [1000, 2000, 4000, 8000]);
    assert.deepEqual([1, 2, 3, 4].map((n) => backoffMs(n, lowest)), [500, 1000, 2000, 4000]);
  });

  it('has a ceiling that never falls and stops at 5 minutes (from the 10th attempt)', () => {
    let previous = 0;
    for (let attempt = 1; attempt <= 2000; attempt++) {
      const top = backoffMs(attempt, highest);
      assert.ok(top >= previous, `attempt ${attempt}: ${top} < ${previous}`);
      assert.ok(top <= 5 * MINUTE);
      previous = top;
    }
    assert.equal(backoffMs(9, highest), 256_000);
    assert.equal(backoffMs(10, highest), 5 * MINUTE);
    assert.equal(backoffMs(10, lowest), 2.5 * MINUTE);
    assert.equal(backoffMs(Number.MAX_SAFE_INTEGER, highest), 5 * MINUTE);
  });

  it('treats attempts below 1 as the first', () => {
    assert.equal(backoffMs(0, highest), 1000);
    assert.equal(backoffMs(-5, lowest), 500);
  });

  it('uses Math.random by default, within the bounds', () => {
    for (let i = 0; i < 200; i++) {
      const wait = backoffMs(3);
      assert.ok(wait >= 2000 && wait <= 4000, String(wait));
      assert.ok(Number.isInteger(wait));
    }
  });
});

describe('planLimits', () => {
  it('files small batches while ingest commits little, so a batch holds the thread briefly', () => {
    assert.deepEqual(planLimits('sqlite', 0), DEFAULT_PLAN_LIMITS.sqlite);
    assert.deepEqual(planLimits('sqlite', 3), DEFAULT_PLAN_LIMITS.sqlite);
    assert.deepEqual(planLimits('postgresql', 100), DEFAULT_PLAN_LIMITS.postgresql);
  });

  it('files as many alerts as ingest’s largest commit brought, so filing keeps pace with a flood, up to a ceiling', () => {
    assert.equal(planLimits('sqlite', 1_200).alerts, 1_200);
    assert.equal(planLimits('sqlite', 50_000).alerts, 2_000);
    assert.equal(planLimits('postgresql', 5_000).alerts, 5_000);
    assert.equal(planLimits('postgresql', 50_000).alerts, 8_000);
    assert.equal(planLimits('sqlite', 1_200).groups, DEFAULT_PLAN_LIMITS.sqlite.groups, 'groups evaluated per batch stay the same');
  });

  it('files larger batches once filing is behind and ingest is quiet, within the same ceiling', () => {
    const behindQuiet = { behind: true, sinceCommitMs: 250 };
    assert.equal(planLimits('sqlite', 0, behindQuiet).alerts, 1_000);
    assert.equal(planLimits('sqlite', 1_500, behindQuiet).alerts, 1_500);
    assert.equal(planLimits('sqlite', 50_000, behindQuiet).alerts, 2_000);
    assert.equal(planLimits('postgresql', 0, behindQuiet).alerts, DEFAULT_PLAN_LIMITS.postgresql.alerts, 'PostgreSQL batches are that large already');
    assert.equal(planLimits('sqlite', 0, { behind: false, sinceCommitMs: 10_000 }).alerts, DEFAULT_PLAN_LIMITS.sqlite.alerts, 'caught up');
  });

  it('keeps batches small while filing is behind but requests still come, so their answers do not wait on long batches', () => {
    assert.equal(planLimits('sqlite', 0, { behind: true, sinceCommitMs: 249 }).alerts, DEFAULT_PLAN_LIMITS.sqlite.alerts);
    assert.equal(planLimits('sqlite', 300, { behind: true, sinceCommitMs: 0 }).alerts, 300, 'still as large as the largest commit');
  });
});
