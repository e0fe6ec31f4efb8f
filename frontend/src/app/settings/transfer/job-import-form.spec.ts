import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { ApiService } from '../../core/api';
import type { Destination, Job } from '../../core/api.types';
import { alerts, click, fieldErrors, root, settle, type } from '../test-helpers';
import { JobImportForm } from './job-import-form';
import { DUPLICATI_EXPORTED, EXPORTED } from './test-data';

const EXISTING_JOB = {
  id: 'job-1',
  name: 'Documents',
  destinationId: 'dest-1',
  repositoryPath: 'documents',
} as Job;
const NAS = {
  id: 'dest-1',
  name: 'NAS share',
  url: '/mnt/backups',
  options: {},
  secrets: {},
} as unknown as Destination;

describe('JobImportForm', () => {
  let fixture: ComponentFixture<JobImportForm>;
  const importJob = vi.fn(async () => ({ ...EXISTING_JOB, id: 'job-2', name: 'Documents copy' }));
  const runnerFolders = vi.fn(async () => ({ sourceRoots: ['/srv'], restoreRoot: '/restore' }));

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), { provide: ApiService, useValue: { importJob, runnerFolders } }],
    });
    fixture = TestBed.createComponent(JobImportForm);
    fixture.componentRef.setInput('jobs', [EXISTING_JOB]);
    fixture.componentRef.setInput('destinations', [NAS]);
    await settle(fixture);
  });
  afterEach(() => {
    TestBed.resetTestingModule();
    importJob.mockClear();
  });

  it('explains a paste that is not JSON and offers no import', async () => {
    type(fixture, 'Or paste the exported JSON', 'version: 1');
    await settle(fixture);
    expect(alerts(fixture)).toEqual([
      'This is not valid JSON. Use the whole content of a .cairn-job.json file.',
    ]);
    expect(root(fixture).textContent).not.toContain('Import job');
  });

  it('asks for a passphrase and a free name and folder before importing', async () => {
    type(fixture, 'Or paste the exported JSON', JSON.stringify(EXPORTED));
    await settle(fixture);
    expect(root(fixture).textContent).toContain('This Cairn already has this destination as “NAS share”');
    await click(fixture, 'Import job');
    expect(fieldErrors(fixture)).toEqual([
      'A job named “Documents” already exists: choose another name.',
      'Another job keeps its repository in “documents” on this destination: choose another folder.',
      "Enter the repository's passphrase: the exported file never contains it.",
    ]);
    expect(importJob).not.toHaveBeenCalled();
  });

  it('imports under another name and says where the job is', async () => {
    type(fixture, 'Or paste the exported JSON', JSON.stringify(EXPORTED));
    await settle(fixture);
    type(fixture, 'Job name', 'Documents copy');
    type(fixture, 'Repository folder', 'documents-copy');
    type(fixture, 'Passphrase', 'a long passphrase');
    await click(fixture, 'Import job');
    expect(importJob).toHaveBeenCalledWith(
      expect.objectContaining({
        job: expect.objectContaining({ name: 'Documents copy', repositoryPath: 'documents-copy' }),
        passphrase: 'a long passphrase',
      }),
    );
    const status = root(fixture).querySelector('[role="status"]');
    expect(status?.textContent).toContain('Imported “Documents copy”');
    expect(status?.querySelector('a')?.getAttribute('href')).toBe('/');
  });

  it('previews a Duplicati job: what is imported, what is not, and the secrets it brought, never shown', async () => {
    type(fixture, 'Or paste the exported JSON', JSON.stringify(DUPLICATI_EXPORTED));
    await settle(fixture);
    const text = root(fixture).textContent ?? '';
    expect(text).toContain("Cairn cannot read Duplicati's backup files");
    expect(text).toContain('Imported: the sources /srv/photos.');
    expect(text).toContain('Imported: the excludes cache.');
    expect(text).toContain(
      'Not imported: the source /home/alice/Music: it is not under the runner’s source folders (/srv)',
    );
    expect(text).toContain('Not imported: the include filter “*.jpg”');
    expect(text).not.toContain('s3cret-key');
    expect(text).not.toContain('AKIAEXAMPLE');
    await click(fixture, 'Import job');
    expect(importJob).toHaveBeenCalledWith(
      expect.objectContaining({
        job: expect.objectContaining({
          name: 'Photos',
          sources: ['/srv/photos'],
          retention: { keepLast: 10 },
        }),
        destination: {
          name: 'S3 family-backups',
          url: 's3://s3.example.org/family-backups/photos',
          options: {},
        },
        passphrase: 'correct horse battery staple',
        destinationSecrets: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 's3cret-key' },
      }),
    );
  });

  it('refuses an encrypted Duplicati export in words', async () => {
    type(fixture, 'Or paste the exported JSON', 'AES\u0002\u0000binary');
    await settle(fixture);
    expect(alerts(fixture)[0]).toContain('This Duplicati export is encrypted.');
  });
});
