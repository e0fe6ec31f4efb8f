import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JobInput, passphraseProblem, passphraseStrength } from '../src/index.js';

test('rates common words, runs and repeats as very weak', () => {
  for (const weak of [
    'password',
    'Password1',
    'P@ssw0rd!',
    'qwertyuiop',
    '12345678',
    'aaaaaaaaaaaa',
    'abcdefghij',
  ]) {
    assert.equal(passphraseStrength(weak).label, 'Very weak', weak);
  }
});

test('rates several unrelated words as very strong', () => {
  assert.deepEqual(passphraseStrength('correct horse battery staple'), {
    score: 4,
    label: 'Very strong',
    advice: null,
  });
});

test('grows with length and character classes', () => {
  const short = passphraseStrength('kT9#mQ2x');
  assert.equal(short.label, 'Fair');
  assert.ok(passphraseStrength('kT9#mQ2xWv7$pL4z').score > short.score);
  assert.ok(passphraseStrength('zpkrvwq').score < passphraseStrength('zpKr7w!').score);
});

test('gives advice only while the passphrase is weak', () => {
  assert.equal(
    passphraseStrength('password2026').advice,
    'Avoid common words, repeated characters and runs like 1234',
  );
  assert.equal(passphraseStrength('kT9#mQ2x').advice, 'Longer is stronger: try four or five unrelated words');
  assert.equal(passphraseStrength('').score, 0);
});

test('refuses the weakest outright: blank, short, or nothing but what a guesser tries first', () => {
  for (const refused of [
    ' '.repeat(16),
    'short',
    'password',
    'Password1!',
    'P@ssw0rd',
    '12345678',
    'qwertyuiop',
  ]) {
    assert.ok(passphraseProblem(refused), JSON.stringify(refused));
  }
  // Weak is not refused: the wizard warns about these, and the person decides.
  for (const allowed of ['password-lantern', 'kT9#mQ2x', 'correct horse battery staple', '93847561']) {
    assert.equal(passphraseProblem(allowed), null, allowed);
  }
});

test('a job saved with a refused passphrase is a bad request naming the field', () => {
  const result = JobInput.safeParse({
    name: 'x',
    sources: ['/srv'],
    destinationId: '00000000-0000-4000-8000-000000000000',
    passphrase: ' '.repeat(16),
  });
  assert.equal(result.success, false);
  assert.deepEqual(result.error!.issues[0]!.path, ['passphrase']);
  assert.equal(result.error!.issues[0]!.message, 'The passphrase cannot be only spaces');
});
