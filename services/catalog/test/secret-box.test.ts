import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { test } from 'node:test';
import { SecretBox, SecretBoxError } from '../src/utils/secret-box.js';

const key = randomBytes(32);
const box = new SecretBox(key);

test('seal and open round-trip, with a fresh nonce each time', () => {
  const sealed = box.seal('hunter2 ✓', 'job:1:passphrase');
  assert.equal(box.open(sealed, 'job:1:passphrase'), 'hunter2 ✓');
  assert.notEqual(box.seal('hunter2 ✓', 'job:1:passphrase'), sealed);
  assert.ok(!sealed.includes('hunter2'));
  assert.equal(box.open(box.seal('', 'c'), 'c'), '');
});

test('another key, another context or one altered byte is refused, never misread', () => {
  const sealed = box.seal('hunter2', 'job:1:passphrase');
  assert.throws(() => new SecretBox(randomBytes(32)).open(sealed, 'job:1:passphrase'), SecretBoxError);
  assert.throws(() => box.open(sealed, 'job:2:passphrase'), SecretBoxError);
  const bytes = Buffer.from(sealed.slice(3), 'base64');
  for (const index of [0, 12, bytes.length - 1]) {
    const altered = Buffer.from(bytes);
    altered[index]! ^= 1;
    assert.throws(() => box.open(`v1.${altered.toString('base64')}`, 'job:1:passphrase'), SecretBoxError);
  }
  assert.throws(() => box.open('plaintext', 'job:1:passphrase'), SecretBoxError);
});

test('the key is not printable and must be 32 bytes', () => {
  assert.ok(!inspect(box, { showHidden: true }).includes(key.toString('hex')));
  assert.ok(!JSON.stringify(box).includes(key.toString('hex')));
  assert.throws(() => new SecretBox(randomBytes(16)));
});
