import { Command } from 'commander';
import { addKey, changePassword, listRepositoryKeys, removeKey } from '@cairn/engine';
import { shortId, table } from '../format.js';
import { readNewPassword } from '../password.js';
import { openRepository, withRepository, type RepositoryFlags } from '../repository-options.js';
import type { Repository } from '@cairn/engine';

export function keyCommand(): Command {
  const key = new Command('key').description('manage the passwords of a repository (one key file each)');
  const sub = (name: string, description: string) =>
    withRepository(key.command(name).description(description));
  const withRepo = async (flags: RepositoryFlags, task: (repo: Repository) => Promise<void>) => {
    const repo = await openRepository(flags);
    try {
      await task(repo);
    } finally {
      await repo.close();
    }
  };

  sub('add', 'add a password (CAIRN_NEW_PASSWORD or CAIRN_NEW_PASSWORD_FILE, else a prompt)').action(
    (flags: RepositoryFlags) =>
      withRepo(flags, async (repo) => {
        const name = await addKey(repo, await readNewPassword());
        process.stdout.write(`added key ${shortId(name)}\n`);
      }),
  );
  sub('list', 'list the keys')
    .option('--json', 'print as JSON')
    .action((flags: RepositoryFlags & { json?: boolean }) =>
      withRepo(flags, async (repo) => {
        const keys = await listRepositoryKeys(repo);
        if (flags.json) return void process.stdout.write(`${JSON.stringify(keys)}\n`);
        const rows = keys.map((k) => [
          `${k.current ? '*' : ' '}${shortId(k.name)}`,
          k.username,
          k.host,
          k.created,
        ]);
        process.stdout.write(`${table([[' ID', 'User', 'Host', 'Created'], ...rows])}\n`);
      }),
    );
  sub('remove', 'remove a key (not the one in use)')
    .argument('<id>', 'key id or unique prefix')
    .action((id: string, flags: RepositoryFlags) =>
      withRepo(flags, async (repo) => {
        process.stdout.write(`removed key ${shortId(await removeKey(repo, id))}\n`);
      }),
    );
  sub('passwd', 'change the password in use').action((flags: RepositoryFlags) =>
    withRepo(flags, async (repo) => {
      const name = await changePassword(repo, await readNewPassword());
      process.stdout.write(`password changed (new key ${shortId(name)})\n`);
    }),
  );
  return key;
}
