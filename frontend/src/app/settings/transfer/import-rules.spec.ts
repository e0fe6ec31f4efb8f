import type { Job, JobExport } from '../../core/api.types';
import { EMPTY_IMPORT, importBody, passphraseIssue, repositoryPathIssue } from './import-rules';

const FILE: JobExport = {
  version: 1,
  job: { name: 'Photos', sources: ['/srv/photos'], repositoryPath: 'photos' },
  destination: { name: 'Bucket', url: 's3://s3.example.org/backups', options: { region: 'eu-west-1' } },
};

describe('import rules', () => {
  it('needs the passphrase, which an export never carries', () => {
    expect(passphraseIssue('')).toBe(
      "Enter the repository's passphrase: the exported file never contains it.",
    );
    expect(passphraseIssue('short')).toBe('The passphrase needs at least 8 characters.');
    expect(passphraseIssue('a long passphrase')).toBeNull();
  });

  it('refuses a repository folder another job uses there, and suggests a free one', () => {
    const there = [{ repositoryPath: 'photos' } as Job];
    expect(repositoryPathIssue('photos', there, 'Photos again')).toBe(
      'Another job keeps its repository in “photos” on this destination: choose another folder, such as “photos-again”.',
    );
    expect(repositoryPathIssue('photos', [], 'Photos')).toBeNull();
    expect(repositoryPathIssue('/photos', [], 'Photos')).toBe(
      'Use letters, digits, “.”, “_” and “-”, with “/” between folders (not at the start).',
    );
  });

  it('sends the new name, the passphrase and S3 keys for a new destination only', () => {
    const draft = {
      ...EMPTY_IMPORT,
      name: 'Photos copy',
      repositoryPath: 'photos-copy',
      passphrase: 'a long passphrase',
      accessKeyId: 'AKIA1',
      secretAccessKey: 'secret',
    };
    expect(importBody(FILE, draft, false)).toEqual({
      ...FILE,
      job: { name: 'Photos copy', sources: ['/srv/photos'], repositoryPath: 'photos-copy' },
      passphrase: 'a long passphrase',
      destinationSecrets: { accessKeyId: 'AKIA1', secretAccessKey: 'secret' },
    });
    expect(importBody(FILE, draft, true)).not.toHaveProperty('destinationSecrets');
  });
});
