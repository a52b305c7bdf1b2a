import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMatcher, matches, parseMatcher, parseMatcherList, type Matcher } from '../../src/alerts/matchers.js';
import { parseSilenceMatchers, silenceCovers } from '../../src/alerts/silences.js';

const matcher = (text: string): Matcher => {
  const result = parseMatcher(text);
  assert.ok(result.ok, `"${text}" should parse`);
  return result.value;
};

describe('parseMatcher', () => {
  for (const [text, name, operator, value] of [
    ['alertname=DiskFull', 'alertname', '=', 'DiskFull'],
    ['env!=staging', 'env', '!=', 'staging'],
    ['team=~db|cache', 'team', '=~', 'db|cache'],
    ['team!~"db|cache"', 'team', '!~', 'db|cache'],
    ['summary="disk, 95% full"', 'summary', '=', 'disk, 95% full'],
    ['quote="say \\"hi\\""', 'quote', '=', 'say "hi"'],
    [' spaced = out ', 'spaced', '=', 'out'],
    ['empty=""', 'empty', '=', ''],
    ['empty=', 'empty', '=', ''],
  ] as const) {
    it(`reads ${text}`, () => {
      const m = matcher(text);
      assert.deepEqual({ name: m.name, operator: m.operator, value: m.value }, { name, operator, value });
    });
  }

  for (const [text, error] of [
    ['=value', '"=value" has an empty label name: write the label before ='],
    ['!~x', '"!~x" has an empty label name: write the label before !~'],
    ['justaword', '"justaword" is not a matcher: use name=value, name!=value, name=~regex or name!~regex'],
    ['1team=db', '"1team" is not a label name: use letters, digits and _, not starting with a digit'],
    ['team-name=db', '"team-name" is not a label name: use letters, digits and _, not starting with a digit'],
    ['team=~"db(', 'the value in "team=~"db(" has unbalanced quotes'],
    ['team=~db(', 'the regex in "team=~db(" is invalid: Unterminated group'],
    ['team=~*db', 'the regex in "team=~*db" is invalid: Nothing to repeat'],
    ['team!~[z-a]', 'the regex in "team!~[z-a]" is invalid: Range out of order in character class'],
  ] as const) {
    it(`refuses ${text} with the reason`, () => assert.deepEqual(parseMatcher(text), { ok: false, error }));
  }
});

describe('matching, as Alertmanager matches', () => {
  const labels = { alertname: 'DiskFull', env: 'production', team: 'db' };
  it('compares equality and inequality', () => {
    assert.equal(matches(matcher('env=production'), labels), true);
    assert.equal(matches(matcher('env=prod'), labels), false);
    assert.equal(matches(matcher('env!=staging'), labels), true);
  });
  it('anchors regexes at both ends', () => {
    assert.equal(matches(matcher('env=~prod'), labels), false);
    assert.equal(matches(matcher('env=~prod.*'), labels), true);
    assert.equal(matches(matcher('team=~db|cache'), labels), true);
    assert.equal(matches(matcher('team=~d'), labels), false);
    assert.equal(matches(matcher('team!~db|cache'), labels), false);
  });
  it('reads a missing label as the empty string', () => {
    assert.equal(matches(matcher('region=""'), labels), true);
    assert.equal(matches(matcher('region!=eu'), labels), true);
    assert.equal(matches(matcher('region=~.*'), labels), true);
    assert.equal(matches(matcher('region=~.+'), labels), false);
  });
  it('does not take inherited properties for labels', () => {
    assert.equal(matches(matcher('constructor=~.+'), {}), false);
  });
});

describe('parseMatcherList', () => {
  it('reads comma-separated matchers, with or without braces, commas inside quotes kept', () => {
    const plain = parseMatcherList('alertname=DiskFull,env=~"prod|stage",note="a, b"');
    const braced = parseMatcherList('{alertname=DiskFull, env=~"prod|stage", note="a, b"}');
    assert.ok(plain.ok && braced.ok);
    assert.deepEqual(plain.value.map(formatMatcher), ['alertname=DiskFull', 'env=~"prod|stage"', 'note="a, b"']);
    assert.deepEqual(braced.value.map(formatMatcher), plain.value.map(formatMatcher));
  });
  it('refuses an unclosed quote', () => {
    assert.deepEqual(parseMatcherList('a="b,c=d'), { ok: false, error: 'a quote is not closed in: a="b,c=d' });
  });
});

describe('silences', () => {
  it('need a matcher that does not match everything', () => {
    assert.deepEqual(parseSilenceMatchers('{}'), { ok: false, error: 'a silence needs at least one matcher, such as alertname=DiskFull' });
    assert.deepEqual(parseSilenceMatchers('env=~.*'), { ok: false, error: 'these matchers would silence every alert: add one that needs a label, such as alertname=DiskFull' });
    assert.equal(parseSilenceMatchers('env=~.*,alertname=DiskFull').ok, true);
  });

  it('cover matching alerts while active', () => {
    const silence = { matchers: 'alertname=DiskFull,env=~prod.*', startsAt: new Date('2026-01-01T10:00:00Z'), endsAt: new Date('2026-01-01T12:00:00Z') };
    const alert = { labels: { alertname: 'DiskFull', env: 'production' } };
    assert.equal(silenceCovers(silence, alert, new Date('2026-01-01T11:00:00Z')), true);
    assert.equal(silenceCovers(silence, alert, new Date('2026-01-01T09:59:59Z')), false, 'not started');
    assert.equal(silenceCovers(silence, alert, new Date('2026-01-01T12:00:00Z')), false, 'ended');
    assert.equal(silenceCovers(silence, { labels: { alertname: 'DiskFull', env: 'staging' } }, new Date('2026-01-01T11:00:00Z')), false);
  });

  it('silence nothing when the stored matchers no longer parse', () => {
    const silence = { matchers: 'env=~(', startsAt: new Date(0), endsAt: new Date(8.64e15) };
    assert.equal(silenceCovers(silence, { labels: { env: '(' } }, new Date()), false);
  });
});
