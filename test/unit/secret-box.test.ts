import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DecryptionError, SecretBox } from '../../src/security/secretBox.js';

describe('SecretBox', () => {
  const box = new SecretBox(Buffer.alloc(32, 1));

  it('round-trips text, with a fresh IV each time', () => {
    const token = 'xoxb-1234-5678-abcdefghijklmnop ✓ 日本語';
    const a = box.seal(token);
    const b = box.seal(token);
    assert.notEqual(a, b);
    assert.ok(!a.includes('xoxb'));
    assert.equal(box.open(a), token);
    assert.equal(box.open(b), token);
  });

  it('refuses to open with another key', () => {
    const sealed = box.seal('secret');
    assert.throws(() => new SecretBox(Buffer.alloc(32, 2)).open(sealed), DecryptionError);
  });

  it('refuses a tampered or malformed value', () => {
    const sealed = box.seal('secret');
    const flipped = `${sealed.slice(0, -2)}${sealed.at(-2) === 'A' ? 'B' : 'A'}${sealed.at(-1)}`;
    assert.throws(() => box.open(flipped), DecryptionError);
    assert.throws(() => box.open('v1.AAAA'), DecryptionError);
    assert.throws(() => box.open('plain text'), DecryptionError);
    assert.throws(() => box.open(''), DecryptionError);
  });

  it('only takes a 32-byte key', () => {
    assert.throws(() => new SecretBox(Buffer.alloc(16)), /32 bytes/);
  });
});
