import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_DURATION_MS, formatDuration, parseDuration } from '../../src/alerts/duration.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('parseDuration', () => {
  for (const [text, ms] of [
    ['30m', 30 * MINUTE],
    ['2h', 2 * HOUR],
    ['1d', DAY],
    ['1h30m', HOUR + 30 * MINUTE],
    ['2w', 14 * DAY],
    ['1d12h', DAY + 12 * HOUR],
    ['90s', 90_000],
    ['2H', 2 * HOUR],
  ] as const) {
    it(`reads ${text}`, () => assert.deepEqual(parseDuration(text), { ok: true, value: ms }));
  }

  for (const [text, error] of [
    ['', '"" is not a duration: use a number and a unit, such as 30m, 2h, 1d or 1h30m'],
    ['2', '"2" is not a duration: use a number and a unit, such as 30m, 2h, 1d or 1h30m'],
    ['30m1h', '"30m1h" is not a duration: use a number and a unit, such as 30m, 2h, 1d or 1h30m'],
    ['1.5h', '"1.5h" is not a duration: use a number and a unit, such as 30m, 2h, 1d or 1h30m'],
    ['-1h', '"-1h" is not a duration: use a number and a unit, such as 30m, 2h, 1d or 1h30m'],
    ['0m', '"0m" is no time at all: give a duration longer than zero, such as 30m'],
    ['366d', '"366d" is too long: at most 365d'],
  ] as const) {
    it(`refuses "${text}"`, () => assert.deepEqual(parseDuration(text), { ok: false, error }));
  }

  it('accepts exactly the longest duration', () => assert.deepEqual(parseDuration('365d'), { ok: true, value: MAX_DURATION_MS }));
});

describe('formatDuration', () => {
  it('writes what parseDuration reads back', () => {
    for (const text of ['30m', '2h', '1d', '1h30m', '2w', '1w2d3h4m5s']) {
      const parsed = parseDuration(text);
      assert.ok(parsed.ok);
      assert.equal(formatDuration(parsed.value), text);
    }
  });
});
