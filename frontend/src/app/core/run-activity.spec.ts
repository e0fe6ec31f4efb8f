import { followActivity, type ActivityListener } from './run-activity';

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

function listener() {
  return {
    progress: vi.fn<ActivityListener['progress']>(),
    started: vi.fn<ActivityListener['started']>(),
    finished: vi.fn<ActivityListener['finished']>(),
    connected: vi.fn<ActivityListener['connected']>(),
  };
}

describe('followActivity', () => {
  afterEach(() => vi.useRealTimers());

  it("passes every run's events on, and keeps the stream open when a run finishes", async () => {
    const events = new FakeEvents();
    const handlers = listener();
    const opened = vi.fn((_url: string) => events as unknown as EventSource);
    followActivity({ eventsUrl: async () => '/activity?ticket=t', listener: handlers, openEvents: opened });
    await vi.waitFor(() => expect(opened).toHaveBeenCalledWith('/activity?ticket=t'));
    events.emit('open');
    events.emit('progress', { runId: 'a', filesDone: 1 });
    events.emit('started', { runId: 'b', jobId: 'j' });
    events.emit('finished', { runId: 'a', status: 'succeeded' });
    events.emit('ping', {});
    expect(handlers.connected).toHaveBeenCalledWith(true);
    expect(handlers.progress).toHaveBeenCalledWith({ runId: 'a', filesDone: 1 });
    expect(handlers.started).toHaveBeenCalledWith({ runId: 'b', jobId: 'j' });
    expect(handlers.finished).toHaveBeenCalledWith({ runId: 'a', status: 'succeeded' });
    expect(events.closed).toBe(false);
  });

  it('opens the stream again with a fresh ticket when it breaks, waiting longer each time', async () => {
    vi.useFakeTimers();
    const streams: FakeEvents[] = [];
    const handlers = listener();
    let ticket = 0;
    const stop = followActivity({
      eventsUrl: async () => `/activity?ticket=${++ticket}`,
      listener: handlers,
      firstRetryMs: 1_000,
      openEvents: (url) => {
        const events = new FakeEvents();
        streams.push(Object.assign(events, { url }));
        return events as unknown as EventSource;
      },
    });
    await vi.advanceTimersByTimeAsync(0);
    streams[0].emit('error');
    expect(streams[0].closed).toBe(true);
    expect(handlers.connected).toHaveBeenLastCalledWith(false);
    await vi.advanceTimersByTimeAsync(999);
    expect(streams).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(streams).toHaveLength(2);
    streams[1].emit('error');
    await vi.advanceTimersByTimeAsync(1_999);
    expect(streams).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(streams.map((events) => (events as FakeEvents & { url: string }).url)).toEqual([
      '/activity?ticket=1',
      '/activity?ticket=2',
      '/activity?ticket=3',
    ]);
    stop();
    expect(streams[2].closed).toBe(true);
    streams[2].emit('error');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(streams).toHaveLength(3);
  });
});
