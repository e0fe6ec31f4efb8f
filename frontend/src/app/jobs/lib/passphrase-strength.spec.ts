import { passphraseStrength } from './passphrase-strength';

describe('passphraseStrength', () => {
  it('rates common words, runs and repeats as very weak', () => {
    for (const weak of [
      'password',
      'Password1',
      'P@ssw0rd!',
      'qwertyuiop',
      '12345678',
      'aaaaaaaaaaaa',
      'abcdefghij',
    ]) {
      expect(passphraseStrength(weak).label, weak).toBe('Very weak');
    }
  });

  it('rates several unrelated words as very strong', () => {
    expect(passphraseStrength('correct horse battery staple')).toEqual({
      score: 4,
      label: 'Very strong',
      advice: null,
    });
  });

  it('grows with length and character classes', () => {
    const short = passphraseStrength('kT9#mQ2x');
    const longer = passphraseStrength('kT9#mQ2xWv7$pL4z');
    expect(short.label).toBe('Fair');
    expect(longer.score).toBeGreaterThan(short.score);
    expect(passphraseStrength('zpkrvwq').score).toBeLessThan(passphraseStrength('zpKr7w!').score);
  });

  it('gives advice only while the passphrase is weak', () => {
    expect(passphraseStrength('password2026').advice).toBe(
      'Avoid common words, repeated characters and runs like 1234',
    );
    expect(passphraseStrength('kT9#mQ2x').advice).toBe(
      'Longer is stronger: try four or five unrelated words',
    );
    expect(passphraseStrength('').score).toBe(0);
  });
});
