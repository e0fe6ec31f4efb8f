import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { Channel, Delivery } from '../../core/api.types';
import { RunReports } from './run-reports';

const delivery = (fields: Partial<Delivery>): Delivery => ({
  id: 'd-1',
  reportKey: 'run:run-1',
  channelId: 'mail',
  attempt: 1,
  event: 'run',
  level: 'error',
  runId: 'run-1',
  jobId: 'job-1',
  status: 'delivered',
  subject: 'Backup “Documents” failed',
  error: null,
  durationMs: 120,
  at: '2026-11-23T12:00:00.000Z',
  ...fields,
});

describe('RunReports', () => {
  it('names each channel and says which attempt got through and which did not, and why', async () => {
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
    const fixture = TestBed.createComponent(RunReports);
    fixture.componentRef.setInput('deliveries', [
      delivery({ id: 'd-3', attempt: 2 }),
      delivery({ id: 'd-2', status: 'failed', error: 'the mail server refused the sign-in' }),
      delivery({ id: 'd-1', channelId: 'gone', status: 'failed', error: 'timed out' }),
    ]);
    fixture.componentRef.setInput('channels', [{ id: 'mail', name: 'Home mail' } as Channel]);
    await fixture.whenStable();
    // The icon, then each line of the row.
    const rows = [...(fixture.nativeElement as HTMLElement).querySelectorAll('li')].map((row) =>
      [...row.children].flatMap((part) =>
        part.children.length ? [...part.children].map((line) => line.textContent?.trim()) : part.textContent,
      ),
    );
    expect(rows[0]).toEqual(['check_circle', 'Sent to “Home mail”', expect.stringMatching(/ · attempt 2$/)]);
    expect(rows[1]).toEqual([
      'error',
      'Could not send to “Home mail”',
      'the mail server refused the sign-in',
      expect.not.stringContaining('attempt'),
    ]);
    expect(rows[2]).toContain('Could not send to a channel deleted since');
  });
});
