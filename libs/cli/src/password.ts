import { readFileSync } from 'node:fs';
import { CairnError } from '@cairn/engine';

interface SecretSource {
  /** `X` is read from `$X`, then from the file named by `$X_FILE`. */
  variable: string;
  prompt: string;
  confirm?: boolean;
  /** Asked before the prompt when neither variable is set. */
  fallback?: () => Promise<string>;
}

/** A secret from the environment, a file named there, or a prompt on a terminal (in that order). */
async function readSecret({ variable, prompt, confirm = false, fallback }: SecretSource): Promise<string> {
  const fromEnv = process.env[variable];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const file = process.env[`${variable}_FILE`];
  if (file) return readPasswordFile(file, `${variable}_FILE`);
  return fallback ? fallback() : promptTwiceIf(confirm, prompt);
}

/** The repository password: CAIRN_PASSWORD, then CAIRN_PASSWORD_FILE, then a prompt. */
export function readPassword(options: { confirm?: boolean; prompt?: string } = {}): Promise<string> {
  return readSecret({
    variable: 'CAIRN_PASSWORD',
    prompt: options.prompt ?? 'repository password',
    confirm: options.confirm ?? false,
  });
}

/** The password of a second repository (copy's source): CAIRN_FROM_PASSWORD(_FILE), else as usual. */
export function readSourcePassword(): Promise<string> {
  return readSecret({
    variable: 'CAIRN_FROM_PASSWORD',
    prompt: 'password of the source repository',
    fallback: () => readPassword({ prompt: 'password of the source repository' }),
  });
}

/** A second password (for `key add` and `key passwd`): CAIRN_NEW_PASSWORD(_FILE) or a prompt. */
export function readNewPassword(): Promise<string> {
  return readSecret({ variable: 'CAIRN_NEW_PASSWORD', prompt: 'new password', confirm: true });
}

/** The server's admin password, for `cairn server login`: CAIRN_SERVER_PASSWORD(_FILE) or a prompt. */
export function readServerPassword(): Promise<string> {
  return readSecret({ variable: 'CAIRN_SERVER_PASSWORD', prompt: 'Cairn server admin password' });
}

function readPasswordFile(path: string, variable: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CairnError(
      'usage',
      `cannot read the password file ${path} (${variable}): ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
  const password = text.replace(/\r?\n$/, '');
  if (password === '') throw new CairnError('usage', `the password file ${path} is empty`);
  return password;
}

async function promptTwiceIf(confirm: boolean, label: string): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new CairnError(
      'usage',
      'no password given: set CAIRN_PASSWORD or CAIRN_PASSWORD_FILE (or run on a terminal)',
    );
  }
  const password = await promptHidden(`enter ${label}: `);
  if (password === '') throw new CairnError('usage', 'an empty password is not allowed');
  if (confirm && (await promptHidden(`enter ${label} again: `)) !== password) {
    throw new CairnError('usage', 'the passwords do not match');
  }
  return password;
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    let answer = '';
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(answer);
    };
    const onData = (data: Buffer) => {
      for (const char of data.toString('utf8')) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003') return done(new CairnError('cancelled', 'cancelled'));
        if (char === '\u007f' || char === '\b') answer = answer.slice(0, -1);
        else answer += char;
      }
    };
    stdin.on('data', onData);
  });
}
