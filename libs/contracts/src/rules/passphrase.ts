// The one reading of a passphrase's strength: the catalog refuses what passphraseProblem refuses
// when a job is saved, and the web app's wizard says the same and warns on what is merely weak.
// Browser-safe (no Node imports): the web app imports this file.

export interface PassphraseStrength {
  /** 0 (very weak) to 4 (very strong). */
  score: 0 | 1 | 2 | 3 | 4;
  label: 'Very weak' | 'Weak' | 'Fair' | 'Strong' | 'Very strong';
  /** What would make it stronger, when something would. */
  advice: string | null;
}

const LABELS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'] as const;

/** Words people reach for first; an attacker tries them first too. */
const COMMON = [
  'password',
  'passwort',
  'passphrase',
  'qwerty',
  'azerty',
  'letmein',
  'welcome',
  'admin',
  'login',
  'iloveyou',
  'monkey',
  'dragon',
  'master',
  'secret',
  'backup',
  'cairn',
  'changeme',
  'default',
  'abc123',
  'football',
  'sunshine',
];
/** "P@ssw0rd" is "password" to a guesser. */
const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
};
const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm', '1234567890', 'abcdefghijklmnopqrstuvwxyz'];

export const MIN_PASSPHRASE_LENGTH = 8;

/**
 * Why a passphrase is refused outright, in words; null when it may be used (weak ones are only
 * warned about). Refused: blank ones, short ones, and ones that are nothing but what a guesser tries
 * first, with digits or symbols around it ("password", "Password1!", "12345678", 16 spaces).
 */
export function passphraseProblem(passphrase: string): string | null {
  if (passphrase.trim() === '') return 'The passphrase cannot be only spaces';
  if (passphrase.length < MIN_PASSPHRASE_LENGTH)
    return `The passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters`;
  const core = passphrase.replace(/^[\d\W_]+|[\d\W_]+$/g, '') || passphrase;
  if (predictableLength(core) >= core.length)
    return 'This passphrase is among the first a guesser tries (a common word, a run like 12345678 or a repeat): choose a few unrelated words';
  return null;
}

/**
 * A rough estimate of how long a guesser needs: bits from length and character classes, with the
 * predictable parts (common words, runs like "aaaa" or "1234", keyboard rows, years) counted as
 * almost nothing. Not zxcvbn, but it ranks "password1" below "correct horse battery staple".
 */
export function passphraseStrength(passphrase: string): PassphraseStrength {
  if (passphrase.length === 0) return { score: 0, label: LABELS[0], advice: null };
  const predictable = predictableLength(passphrase);
  const effective = Math.max(0, passphrase.length - predictable) + Math.min(predictable, 2);
  const bits = effective * Math.log2(alphabetSize(passphrase));
  const score = bits < 28 ? 0 : bits < 40 ? 1 : bits < 60 ? 2 : bits < 80 ? 3 : 4;
  return { score, label: LABELS[score], advice: score >= 3 ? null : adviceFor(passphrase, predictable) };
}

function alphabetSize(text: string): number {
  let size = 0;
  if (/[a-z]/.test(text)) size += 26;
  if (/[A-Z]/.test(text)) size += 26;
  if (/\d/.test(text)) size += 10;
  if (/ /.test(text)) size += 1;
  if (/[^a-zA-Z\d ]/.test(text)) size += 33;
  return Math.max(size, 2);
}

/** How many characters belong to something a guesser tries early. */
function predictableLength(passphrase: string): number {
  const lower = passphrase.toLowerCase();
  const covered = new Array<boolean>(lower.length).fill(false);
  const cover = (start: number, length: number) => covered.fill(true, start, start + length);
  const plain = [...lower].map((character) => LEET[character] ?? character).join('');
  for (const word of COMMON) {
    for (const text of [lower, plain]) {
      for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) cover(at, word.length);
    }
  }
  for (const match of lower.matchAll(/(.)\1{2,}/g)) cover(match.index, match[0].length);
  for (const match of lower.matchAll(/(19|20)\d\d/g)) cover(match.index, match[0].length);
  for (let start = 0; start < lower.length - 2; start++) {
    let end = start + 1;
    while (end < lower.length && isSequence(lower[end - 1]!, lower[end]!)) end++;
    if (end - start >= 3) cover(start, end - start);
  }
  return covered.filter(Boolean).length;
}

function isSequence(previous: string, next: string): boolean {
  const step = next.charCodeAt(0) - previous.charCodeAt(0);
  if (step === 1 || step === -1) return true;
  return KEYBOARD_ROWS.some((row) => row.includes(previous + next) || row.includes(next + previous));
}

function adviceFor(passphrase: string, predictable: number): string {
  if (predictable >= passphrase.length / 2)
    return 'Avoid common words, repeated characters and runs like 1234';
  if (passphrase.length < 16) return 'Longer is stronger: try four or five unrelated words';
  return 'Mix in more unrelated words, capitals, digits or symbols';
}
