// Alertmanager's grouping decisions with a fake clock: first notification, a new alert in the
// group, nothing new, the repeat interval passing, everything resolved, and a re-fire.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_TIMING, needsNotification, nextEvaluationAt, type LastNotification } from '../../src/delivery/grouping.js';

const set = (...fingerprints: string[]) => new Set(fingerprints);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('needsNotification', () => {
  const t0 = Date.UTC(2026, 10, 23, 12, 0, 0);
  const notified = (firing: string[], resolved: string[] = [], at = t0): LastNotification => ({ firing: set(...firing), resolved: set(...resolved), at });

  it('notifies a new group that fires', () => {
    assert.equal(needsNotification(null, { firing: set('a'), resolved: set() }, t0, DEFAULT_TIMING), true);
  });

  it('stays quiet about a new group whose alerts all resolved before its first message', () => {
    assert.equal(needsNotification(null, { firing: set(), resolved: set('a') }, t0, DEFAULT_TIMING), false);
  });

  it('notifies when a new alert joins the group', () => {
    assert.equal(needsNotification(notified(['a']), { firing: set('a', 'b'), resolved: set() }, t0 + MINUTE, DEFAULT_TIMING), true);
  });

  it('stays quiet when nothing changed within the repeat interval', () => {
    assert.equal(needsNotification(notified(['a', 'b']), { firing: set('b', 'a'), resolved: set() }, t0 + 11 * HOUR, DEFAULT_TIMING), false);
  });

  it('reminds once the repeat interval (12 h by default) has passed', () => {
    assert.equal(needsNotification(notified(['a']), { firing: set('a'), resolved: set() }, t0 + 12 * HOUR, DEFAULT_TIMING), true);
  });

  it('notifies when one alert of a firing group resolves', () => {
    assert.equal(needsNotification(notified(['a', 'b']), { firing: set('a'), resolved: set('b') }, t0 + MINUTE, DEFAULT_TIMING), true);
    assert.equal(needsNotification(notified(['a'], ['b']), { firing: set('a'), resolved: set('b') }, t0 + 2 * MINUTE, DEFAULT_TIMING), false, 'only once');
  });

  it('notifies when every alert resolved', () => {
    assert.equal(needsNotification(notified(['a', 'b']), { firing: set(), resolved: set('a', 'b') }, t0 + MINUTE, DEFAULT_TIMING), true);
  });

  it('notifies a re-fire after the group resolved', () => {
    assert.equal(needsNotification(notified([], ['a']), { firing: set('a'), resolved: set() }, t0 + MINUTE, DEFAULT_TIMING), true);
  });
});

describe('nextEvaluationAt', () => {
  it('waits group_wait for a new group, then group_interval after each look', () => {
    assert.equal(nextEvaluationAt({ firstAlertAt: 1_000, lastEvaluatedAt: null }, DEFAULT_TIMING), 11_000);
    assert.equal(nextEvaluationAt({ firstAlertAt: 1_000, lastEvaluatedAt: 11_000 }, DEFAULT_TIMING), 71_000);
  });
});
