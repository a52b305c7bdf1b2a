// The ingest body's JSON: parsed, and refused when it nests deeper than MAX_JSON_DEPTH. The depth
// scan skips strings whole, so brackets, escaped quotes and escaped backslashes inside them must
// neither count nor end a string early.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_JSON_DEPTH, parseJsonBody } from '../../src/ingest/http/jsonBody.js';
import { Refusal } from '../../src/ingest/http/refusal.js';

const nested = (levels: number, inner = '1') => '['.repeat(levels) + inner + ']'.repeat(levels);
const parse = (text: string) => parseJsonBody(Buffer.from(text));

function refusedAt(text: string): number {
  try {
    parse(text);
  } catch (error) {
    assert.ok(error instanceof Refusal && error.status === 400, String(error));
    const position = /at position (\d+)/.exec(error.message)?.[1];
    assert.ok(position !== undefined, error.message);
    return Number(position);
  }
  assert.fail('the body was accepted');
}

describe('parseJsonBody', () => {
  it(`accepts ${MAX_JSON_DEPTH} levels and refuses one more, naming where`, () => {
    assert.ok(Array.isArray(parse(nested(MAX_JSON_DEPTH))));
    assert.equal(refusedAt(nested(MAX_JSON_DEPTH + 1)), MAX_JSON_DEPTH);
  });

  it('does not count brackets inside strings, whatever their escapes', () => {
    // Brackets, an escaped quote, then an escaped backslash right before the closing quote.
    const tricky = JSON.stringify('[[[{{{ \\" ]]] "[[[" \\\\');
    assert.ok(tricky.endsWith('\\\\"'), 'the string ends with an escaped backslash, then its closing quote');
    const atLimit = nested(MAX_JSON_DEPTH - 1, `{"s":${tricky},"t":"${'['.repeat(100)}"}`);
    assert.ok(Array.isArray(parse(atLimit)));
    const overLimit = nested(MAX_JSON_DEPTH - 1, `{"s":${tricky},"t":[1]}`);
    assert.equal(refusedAt(overLimit), overLimit.indexOf('[1]'));
  });

  it('reads a body that starts with a byte order mark', () => {
    assert.deepEqual(parse('\uFEFF{"a":[1]}'), { a: [1] });
  });
});
