import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { ApiService } from '../../core/api';
import type { About } from '../../core/api.types';
import { click, root, settle } from '../test-helpers';
import { AboutSection } from './about-section';

const ABOUT: About = {
  version: '0.1.0',
  node: 'v24.11.0',
  services: [
    { name: 'gateway', ok: true, detail: 'serving this page' },
    { name: 'catalog', ok: true, detail: 'answered in 4 ms' },
    { name: 'runner', ok: false, detail: 'no runner answered within 3000 ms' },
  ],
};

describe('AboutSection', () => {
  let fixture: ComponentFixture<AboutSection>;
  const about = vi.fn(async () => ABOUT);

  beforeEach(async () => {
    TestBed.configureTestingModule({ providers: [{ provide: ApiService, useValue: { about } }] });
    fixture = TestBed.createComponent(AboutSection);
    await settle(fixture);
  });
  afterEach(() => {
    TestBed.resetTestingModule();
    about.mockClear();
  });

  it('shows the versions and marks the service that failed, with its reason', () => {
    const text = root(fixture).textContent ?? '';
    expect(text).toContain('0.1.0');
    expect(text).toContain('v24.11.0');
    expect(root(fixture).querySelector('[role="status"]')?.textContent?.trim()).toBe(
      'One service does not answer.',
    );
    const failed = [...root(fixture).querySelectorAll('.services li.failed')];
    expect(failed).toHaveLength(1);
    expect(failed[0].querySelector('.name')?.textContent).toBe('runner');
    expect(failed[0].querySelector('.sr-only')?.textContent).toBe('failed');
    expect(failed[0].querySelector('.detail')?.textContent).toBe('no runner answered within 3000 ms');
    expect(failed[0].querySelector('mat-icon')?.textContent).toBe('cancel');
    expect(root(fixture).querySelector('a[href="/api/docs"]')).not.toBeNull();
  });

  it('asks again on "Check again"', async () => {
    about.mockResolvedValueOnce({
      ...ABOUT,
      services: ABOUT.services.map((service) => ({ ...service, ok: true })),
    });
    await click(fixture, 'Check again');
    expect(about).toHaveBeenCalledTimes(2);
    expect(root(fixture).querySelector('[role="status"]')?.textContent?.trim()).toBe(
      'Every service answers.',
    );
    expect(root(fixture).querySelectorAll('.services li.failed')).toHaveLength(0);
  });
});
