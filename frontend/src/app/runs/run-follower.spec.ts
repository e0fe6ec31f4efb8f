import type { Run } from '../core/api.types';
import { followRun, type RunListener } from './run-follower';

/** Stands in for EventSource: the test fires the server's events by hand. */
class FakeEvents extends EventTarget {
  closed = false;
  close(): void {
    this.closed = true;
  }
  emit(type: string, data?: unknown): void {
    this.dispatchEvent(new MessageEvent(type, { data: JSON.stringify(data) }));
  }
}

const RUN: Run = {
  id: 'run-1',
  jobId: 'job-1',
  kind: 'backup',
  status: 'running',
  trigger: 'manual',
  queuedAt: '2026-11-23T10:00:00.000Z',
  startedAt: '2026-11-23T10:00:01.000Z',
  finishedAt: null,
  stats: null,
  error: null,
};

function listener() {
  return {
    status: vi.fn<RunListener['status']>(),
    progress: vi.fn<RunListener['progress']>(),
    started: vi.fn<RunListener['started']>(),
    finished: vi.fn<RunListener['finished']>(),
    trouble: vi.fn<RunListener['trouble']>(),
  };
}

describe('followRun', () => {
  afterEach(() => vi.useRealTimers());

  it('passes the events on and closes the stream when the run finishes', async () => {
    const events = new FakeEvents();
    const handlers = listener();
    const opened = vi.fn((_url: string) => events as unknown as EventSource);
    followRun({
      eventsUrl: () => Promise.resolve('/events?ticket=t'),
      poll: vi.fn(),
      listener: handlers,
      openEvents: opened,
    });
    await vi.waitFor(() => expect(opened).toHaveBeenCalledWith('/events?ticket=t'));
    events.emit('status', RUN);
    events.emit('progress', { runId: 'run-1', filesDone: 1 });
    events.emit('finished', { runId: 'run-1', status: 'succeeded', logTail: [] });
    expect(handlers.status).toHaveBeenCalledWith(RUN);
    expect(handlers.progress).toHaveBeenCalledWith({ runId: 'run-1', filesDone: 1 });
    expect(handlers.finished).toHaveBeenCalledWith({ runId: 'run-1', status: 'succeeded', logTail: [] });
    expect(events.closed).toBe(true);
  });

  it('polls every 2 s when the stream breaks, until the run has finished', async () => {
    vi.useFakeTimers();
    const events = new FakeEvents();
    const handlers = listener();
    const poll = vi
      .fn<() => Promise<Run>>()
      .mockResolvedValueOnce(RUN)
      .mockRejectedValueOnce(new Error('gateway restarting'))
      .mockResolvedValueOnce({ ...RUN, status: 'failed', error: 'disk full' });
    followRun({
      eventsUrl: () => Promise.resolve('/events'),
      poll,
      listener: handlers,
      openEvents: () => events as unknown as EventSource,
    });

    await vi.advanceTimersByTimeAsync(0);
    events.dispatchEvent(new Event('error'));
    expect(events.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(handlers.status).toHaveBeenLastCalledWith(RUN);
    await vi.advanceTimersByTimeAsync(2000);
    expect(handlers.trouble).toHaveBeenLastCalledWith(new Error('gateway restarting'));
    await vi.advanceTimersByTimeAsync(2000);
    expect(handlers.status).toHaveBeenLastCalledWith(expect.objectContaining({ status: 'failed' }));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(poll).toHaveBeenCalledTimes(3);
  });

  it('polls when no link for the stream can be had', async () => {
    const poll = vi.fn<() => Promise<Run>>().mockResolvedValue({ ...RUN, status: 'succeeded' });
    const handlers = listener();
    const opened = vi.fn();
    followRun({
      eventsUrl: () => Promise.reject(new Error('offline')),
      poll,
      listener: handlers,
      openEvents: opened,
    });
    await vi.waitFor(() =>
      expect(handlers.status).toHaveBeenCalledWith(expect.objectContaining({ status: 'succeeded' })),
    );
    expect(opened).not.toHaveBeenCalled();
  });

  it('stops polling when the page is left', async () => {
    vi.useFakeTimers();
    const events = new FakeEvents();
    const poll = vi.fn<() => Promise<Run>>().mockResolvedValue(RUN);
    const stop = followRun({
      eventsUrl: () => Promise.resolve('/events'),
      poll,
      listener: listener(),
      openEvents: () => events as unknown as EventSource,
    });
    await vi.advanceTimersByTimeAsync(0);
    events.dispatchEvent(new Event('error'));
    await vi.advanceTimersByTimeAsync(0);
    stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(poll).toHaveBeenCalledTimes(1);
  });
});
