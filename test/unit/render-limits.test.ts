import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blockKitProblems } from '../../src/render/limits.js';
import * as L from '../../src/render/limits.js';
import { cutText, escapeMrkdwn, mrkdwnText } from '../../src/render/text.js';
import { decodeActionValue } from '../../src/render/actionValues.js';

const s = (length: number) => 'a'.repeat(length);
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const plain = (text: string) => ({ type: 'plain_text', text });
const button = (fields: Record<string, unknown> = {}) => ({ type: 'button', text: plain('Go'), action_id: 'go', ...fields });
const section = (text: string) => ({ type: 'section', text: mrkdwn(text) });

/** Each limit: a message builder taking the size, the limit, and the path the problem is reported at. */
const LIMITS: [name: string, build: (n: number) => Parameters<typeof blockKitProblems>[0], limit: number, path: string][] = [
  ['blocks per message', (n) => ({ blocks: Array.from({ length: n }, () => ({ type: 'divider' })) }), L.MAX_BLOCKS_PER_MESSAGE, 'blocks'],
  ['blocks per attachment', (n) => ({ attachments: [{ blocks: Array.from({ length: n }, () => ({ type: 'divider' })) }] }), L.MAX_BLOCKS_PER_MESSAGE, 'attachments[0].blocks'],
  ['attachments', (n) => ({ attachments: Array.from({ length: n }, () => ({ color: '#fff' })) }), L.MAX_ATTACHMENTS, 'attachments'],
  ['message text', (n) => ({ text: s(n) }), L.MAX_MESSAGE_TEXT, 'text'],
  ['section text', (n) => ({ blocks: [section(s(n))] }), L.MAX_SECTION_TEXT, 'blocks[0].text.text'],
  ['section fields', (n) => ({ blocks: [{ type: 'section', fields: Array.from({ length: n }, () => mrkdwn('f')) }] }), L.MAX_SECTION_FIELDS, 'blocks[0].fields'],
  ['section field text', (n) => ({ blocks: [{ type: 'section', fields: [mrkdwn('ok'), mrkdwn(s(n))] }] }), L.MAX_SECTION_FIELD_TEXT, 'blocks[0].fields[1].text'],
  ['header text', (n) => ({ blocks: [{ type: 'header', text: plain(s(n)) }] }), L.MAX_HEADER_TEXT, 'blocks[0].text.text'],
  ['block_id', (n) => ({ blocks: [{ type: 'divider', block_id: s(n) }] }), L.MAX_BLOCK_ID, 'blocks[0].block_id'],
  ['context elements', (n) => ({ blocks: [{ type: 'context', elements: Array.from({ length: n }, () => mrkdwn('c')) }] }), L.MAX_CONTEXT_ELEMENTS, 'blocks[0].elements'],
  ['context text', (n) => ({ blocks: [{ type: 'context', elements: [mrkdwn(s(n))] }] }), L.MAX_TEXT_OBJECT, 'blocks[0].elements[0].text'],
  ['actions elements', (n) => ({ blocks: [{ type: 'actions', elements: Array.from({ length: n }, (_, i) => button({ action_id: `b${i}` })) }] }), L.MAX_ACTIONS_ELEMENTS, 'blocks[0].elements'],
  ['button text', (n) => ({ blocks: [{ type: 'actions', elements: [button({ text: plain(s(n)) })] }] }), L.MAX_BUTTON_TEXT, 'blocks[0].elements[0].text.text'],
  ['button value', (n) => ({ blocks: [{ type: 'actions', elements: [button({ value: s(n) })] }] }), L.MAX_BUTTON_VALUE, 'blocks[0].elements[0].value'],
  ['button url', (n) => ({ blocks: [{ type: 'actions', elements: [button({ url: `https://x/${s(n - 10)}` })] }] }), L.MAX_BUTTON_URL, 'blocks[0].elements[0].url'],
  ['action_id', (n) => ({ blocks: [{ type: 'actions', elements: [button({ action_id: s(n) })] }] }), L.MAX_ACTION_ID, 'blocks[0].elements[0].action_id'],
  ['option value', (n) => ({ blocks: [{ type: 'actions', elements: [{ type: 'static_select', action_id: 's', options: [{ text: plain('o'), value: s(n) }] }] }] }), L.MAX_OPTION_VALUE, 'blocks[0].elements[0].options[0].value'],
  ['confirm text', (n) => ({ blocks: [{ type: 'actions', elements: [button({ confirm: { title: plain('t'), text: plain(s(n)), confirm: plain('y'), deny: plain('n') } })] }] }), L.MAX_CONFIRM_TEXT, 'blocks[0].elements[0].confirm.text.text'],
  ['accessory button text', (n) => ({ blocks: [{ ...section('x'), accessory: button({ text: plain(s(n)) }) }] }), L.MAX_BUTTON_TEXT, 'blocks[0].accessory.text.text'],
  ['attachment section text', (n) => ({ attachments: [{ blocks: [section(s(n))] }] }), L.MAX_SECTION_TEXT, 'attachments[0].blocks[0].text.text'],
  ['markdown block', (n) => ({ blocks: [{ type: 'markdown', text: s(n) }] }), L.MAX_MARKDOWN_BLOCK_TEXT, 'blocks[0].text'],
  ['total block text', (n) => ({ blocks: [...Array.from({ length: 4 }, () => section(s(2999))), section(s(n - 4 * 2999))] }), L.MAX_TOTAL_BLOCK_TEXT, 'blocks'],
];

describe('blockKitProblems: each limit', () => {
  for (const [name, build, limit, path] of LIMITS) {
    it(`${name}: ${limit} passes, ${limit + 1} does not`, () => {
      assert.deepEqual(blockKitProblems(build(limit)), []);
      const problems = blockKitProblems(build(limit + 1));
      const atPath = problems.filter((problem) => problem.path === path);
      assert.equal(atPath.length, 1, JSON.stringify(problems));
      assert.match(atPath[0]?.message ?? '', new RegExp(`than ${limit} .*\\(${limit + 1}\\)`));
      // A 12,001-character markdown block also breaks the 12,000 total; nothing else may be reported.
      assert.ok(problems.every((problem) => problem.path === path || problem.path === 'blocks'), JSON.stringify(problems));
    });
  }

  it('words a too-long text the way the issue asks', () => {
    assert.deepEqual(blockKitProblems({ blocks: [{}, {}, section(s(3012))] }).at(-1), {
      path: 'blocks[2].text.text',
      message: 'longer than 3000 characters (3012)',
    });
  });
});

describe('blockKitProblems: rules beyond lengths', () => {
  const cases: [string, unknown, { path: string; message: RegExp }][] = [
    ['empty text', { blocks: [section('')] }, { path: 'blocks[0].text.text', message: /empty/ }],
    ['mrkdwn header', { blocks: [{ type: 'header', text: mrkdwn('h') }] }, { path: 'blocks[0].text.type', message: /plain_text/ }],
    ['section without text or fields', { blocks: [{ type: 'section' }] }, { path: 'blocks[0]', message: /text or fields/ }],
    ['duplicate action ids', { blocks: [{ type: 'actions', elements: [button(), button()] }] }, { path: 'blocks[0].elements[1].action_id', message: /twice/ }],
    ['unknown block type', { blocks: [{ type: 'input' }] }, { path: 'blocks[0].type', message: /not a block type/ }],
    ['image without alt text', { blocks: [{ type: 'image', image_url: 'https://x/y.png' }] }, { path: 'blocks[0].alt_text', message: /missing/ }],
  ];
  for (const [name, message, expected] of cases) {
    it(name, () => {
      const problems = blockKitProblems(message as never);
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.equal(problems[0]?.path, expected.path);
      assert.match(problems[0]?.message ?? '', expected.message);
    });
  }
});

describe('blockKitProblems: junk input never throws', () => {
  const junk: unknown[] = [
    null, undefined, 42, 'text', [], true,
    { text: 42 }, { blocks: 'nope' }, { blocks: [null, 1, 'x', [], { type: 7 }] }, { attachments: [null, 'x', { blocks: {} }] },
    { blocks: [{ type: 'section', text: 'raw string', fields: [null], accessory: 5 }] },
    { blocks: [{ type: 'actions', elements: [{}, { type: 'button' }, { type: 'static_select', options: [null, {}] }] }] },
    { blocks: [{ type: 'context', elements: null }, { type: 'header' }, { type: 'rich_text' }] },
    { blocks: [{ type: 'section', text: { type: 'mrkdwn', text: { nested: true } } }] },
    { blocks: [JSON.parse('['.repeat(5000) + ']'.repeat(5000))] },
    { blocks: [{ type: 'section', text: mrkdwn('x'), extra: JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)) }] },
  ];
  for (const [i, value] of junk.entries()) {
    it(`junk #${i} is reported, not thrown`, () => {
      const problems = blockKitProblems(value as never);
      const valid = i === junk.length - 1; // deep nesting in an unknown key is not a Block Kit problem
      if (valid) assert.deepEqual(problems, []);
      else assert.ok(problems.length > 0, `junk #${i} reported nothing`);
      for (const problem of problems) {
        assert.equal(typeof problem.path, 'string');
        assert.ok(problem.message.length > 0);
      }
    });
  }
});

describe('text helpers', () => {
  it('escapes only &, < and >', () => {
    assert.equal(escapeMrkdwn('a & <!channel> > *b*'), 'a &amp; &lt;!channel&gt; &gt; *b*');
  });

  it('cuts at a whole character, ellipsis included in the length', () => {
    assert.equal(cutText('abcdef', 6), 'abcdef');
    assert.equal(cutText('abcdef', 4), 'abc…');
    assert.equal(cutText('😀😀😀', 4), '😀…');
    assert.equal(cutText('👍🏽👍🏽', 5), '👍🏽…');
    assert.equal(cutText('👍🏽👍🏽', 4), '…');
    assert.equal(cutText('🇯🇵🇯🇵', 6), '🇯🇵…');
  });

  it('never leaves half an entity', () => {
    assert.equal(mrkdwnText('ab&cd', 5), 'ab…');
    assert.equal(mrkdwnText('a<b', 4), 'a…');
  });
});

describe('decodeActionValue', () => {
  it('reads what the buttons carry and refuses what they do not', () => {
    assert.deepEqual(decodeActionValue('herald_silence', '24h:grp:with:colons'), { kind: 'silence', groupId: 'grp:with:colons', duration: '24h' });
    assert.equal(decodeActionValue('herald_silence', '2h:grp'), null);
    assert.equal(decodeActionValue('herald_silence', 'grp'), null);
    assert.equal(decodeActionValue('herald_ack', ''), null);
    assert.equal(decodeActionValue('other', 'grp'), null);
    assert.equal(decodeActionValue('herald_resolve', 7), null);
  });
});
