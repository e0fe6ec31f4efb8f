import { HttpErrorResponse } from '@angular/common/http';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter } from '@angular/router';
import { ApiService } from '../core/api';
import type { Destination, DestinationPatch } from '../core/api.types';
import { aJob } from '../dashboard/test-data';
import { alerts, click, root, settle, type } from '../settings/test-helpers';
import { DestinationCard } from './destination-card';

const S3: Destination = {
  id: 'd1',
  name: 'Offsite',
  url: 's3://minio.lan:9000/photos',
  options: {},
  secrets: { accessKeyId: { set: true }, secretAccessKey: { set: true } },
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
};

describe('DestinationCard', () => {
  let fixture: ComponentFixture<DestinationCard>;
  const updateDestination = vi.fn(async (id: string, patch: DestinationPatch) => ({
    ...S3,
    ...patch,
    secrets: S3.secrets,
    id,
  }));
  const removeDestination = vi.fn(async () => {
    throw new HttpErrorResponse({
      status: 409,
      error: {
        error: {
          code: 'conflict',
          message: '"Offsite" is still used by "Photos": delete or move that job first',
        },
      },
    });
  });

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: ApiService, useValue: { updateDestination, removeDestination } },
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    fixture = TestBed.createComponent(DestinationCard);
    fixture.componentRef.setInput('destination', S3);
    fixture.componentRef.setInput('jobs', [aJob({ id: 'j1', name: 'Photos', destinationId: 'd1' })]);
    await settle(fixture);
  });
  afterEach(() => {
    TestBed.resetTestingModule();
    updateDestination.mockClear();
    removeDestination.mockClear();
  });

  it('says where it is and links the jobs that use it', () => {
    const text = root(fixture).textContent ?? '';
    expect(text).toContain('S3 bucket photos on minio.lan:9000');
    const link = root(fixture).querySelector<HTMLAnchorElement>('a.job');
    expect([link?.textContent?.trim(), link?.getAttribute('href')]).toEqual(['Photos', '/jobs/j1/edit']);
  });

  it('renames and rotates a key with one PATCH of the same destination, keeping the blank one', async () => {
    await click(fixture, 'Edit');
    type(fixture, 'Name', 'Offsite S3');
    type(fixture, 'Secret access key', 'rotated-secret');
    const changed = vi.fn();
    fixture.componentInstance.changed.subscribe(changed);
    await click(fixture, 'Save');
    expect(updateDestination).toHaveBeenCalledExactlyOnceWith('d1', {
      name: 'Offsite S3',
      secrets: { secretAccessKey: 'rotated-secret' },
    });
    expect(changed).toHaveBeenCalledWith(expect.objectContaining({ id: 'd1', name: 'Offsite S3' }));
  });

  it('refuses a blank name before asking the server', async () => {
    await click(fixture, 'Edit');
    type(fixture, 'Name', ' ');
    await click(fixture, 'Save');
    expect(root(fixture).textContent).toContain('Give the destination a name');
    expect(updateDestination).not.toHaveBeenCalled();
  });

  it('asks before removing, and shows the server refusal naming the jobs', async () => {
    await click(fixture, 'Remove');
    const dialog = root(fixture).querySelector('[role="alertdialog"]')!;
    expect(removeDestination).not.toHaveBeenCalled();
    [...dialog.querySelectorAll('button')].find((each) => each.textContent?.trim() === 'Remove')!.click();
    await settle(fixture);
    expect(removeDestination).toHaveBeenCalledWith('d1');
    expect(alerts(fixture)).toEqual(['"Offsite" is still used by "Photos": delete or move that job first']);
  });
});
