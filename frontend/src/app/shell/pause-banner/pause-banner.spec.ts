import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { ApiService } from '../../core/api';
import { settle } from '../../settings/test-helpers';
import { PauseBanner } from './pause-banner';

function fakeApi(pausedUntil: number | null) {
  return {
    scheduler: vi.fn(async () => ({ pausedUntil, next: [] })),
    resumeScheduler: vi.fn(async () => ({ pausedUntil: null })),
  };
}

async function render(api: ReturnType<typeof fakeApi>) {
  TestBed.configureTestingModule({ providers: [{ provide: ApiService, useValue: api }] });
  const fixture = TestBed.createComponent(PauseBanner);
  await settle(fixture);
  return fixture;
}

const text = (fixture: ComponentFixture<unknown>) =>
  ((fixture.nativeElement as HTMLElement).textContent ?? '').replace(/\s+/g, ' ');

describe('PauseBanner', () => {
  afterEach(() => TestBed.resetTestingModule());

  it('shows nothing while schedules run', async () => {
    const fixture = await render(fakeApi(null));
    expect(text(fixture).trim()).toBe('');
  });

  it('says until when schedules are paused, and Resume lifts the pause', async () => {
    const api = fakeApi(Date.now() + 15 * 60_000);
    const fixture = await render(api);
    expect(text(fixture)).toMatch(/Scheduled backups paused until [A-Z]\w{2} \d\d:\d\d/);
    (fixture.nativeElement as HTMLElement).querySelector('button')!.click();
    await settle(fixture);
    expect(api.resumeScheduler).toHaveBeenCalled();
    expect(text(fixture).trim()).toBe('');
  });

  it('a pause until resumed says so', async () => {
    const fixture = await render(fakeApi(Number.MAX_SAFE_INTEGER));
    expect(text(fixture)).toContain('Scheduled backups are paused until resumed');
  });
});
