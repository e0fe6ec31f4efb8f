import { once } from 'node:events';
import { Controller, Res, type MessageEvent } from '@nestjs/common';
import type { Response } from 'express';
import { map, type Observable } from 'rxjs';
import { API, CATALOG, RUNNER, runReportKey, type ValidInput } from '@cairn/contracts';
import { ServiceClient } from '../catalog/catalog.repository.js';
import { Input, Route } from '../http/route.js';
import { JobsService } from '../jobs/jobs.service.js';
import { DownloadStreams } from './download-stream.repository.js';
import { RunEvents, type RunEvent } from './run-events.repository.js';
import { RunQueue } from './run-queue.repository.js';

const { runs, snapshots, restores } = API;

@Controller()
export class RunsController {
  constructor(
    private readonly services: ServiceClient,
    private readonly events: RunEvents,
    private readonly queue: RunQueue,
    private readonly jobs: JobsService,
    private readonly downloads: DownloadStreams,
  ) {}

  @Route(runs.list)
  list(@Input() { query }: ValidInput<typeof runs.list>) {
    return this.services.call(CATALOG.runs.list, query);
  }

  @Route(runs.recent)
  recent(@Input() { query }: ValidInput<typeof runs.recent>) {
    return this.services.call(CATALOG.runs.recent, query);
  }

  @Route(runs.get)
  get(@Input() { params }: ValidInput<typeof runs.get>) {
    return this.services.call(CATALOG.runs.get, params);
  }

  /**
   * Server-sent events: `status`, then `progress` about twice a second, `started`, `finished`. An
   * unknown run is a 404 before the stream opens.
   */
  @Route(runs.events)
  async watch(@Input() { params }: ValidInput<typeof runs.events>): Promise<Observable<MessageEvent>> {
    const run = await this.services.call(CATALOG.runs.get, params);
    return this.events.watch(run.id).pipe(map(asMessage));
  }

  /** Server-sent events of every run (the dashboard's cards): `progress`, `started`, `finished`, `ping`. */
  @Route(runs.activity)
  activity(): Observable<MessageEvent> {
    return this.events.watchAll().pipe(map(asMessage));
  }

  @Route(runs.cancel)
  async cancel(@Input() { params }: ValidInput<typeof runs.cancel>) {
    const run = await this.services.call(CATALOG.runs.get, params);
    this.queue.cancel(run.id);
    return { cancelling: run.status === 'running' || run.status === 'queued' };
  }

  @Route(runs.log)
  log(@Input() { params }: ValidInput<typeof runs.log>) {
    return this.services.call(CATALOG.runs.log, params);
  }

  @Route(runs.deliveries)
  deliveries(@Input() { params }: ValidInput<typeof runs.deliveries>) {
    return this.services.call(CATALOG.deliveries.list, { reportKey: runReportKey(params.id), limit: 100 });
  }

  @Route(snapshots.tree)
  tree(@Input() { params, query }: ValidInput<typeof snapshots.tree>) {
    return this.services.call(RUNNER.snapshotTree, { ...params, ...query }, 60_000);
  }

  /** A file of a snapshot, or a folder as a tar archive, streamed from a runner as it reads it. */
  @Route(snapshots.download)
  async download(
    @Input() { params, query }: ValidInput<typeof snapshots.download>,
    @Res() res: Response,
  ): Promise<void> {
    let headersSent!: () => void;
    const ready = new Promise<void>((resolve) => (headersSent = resolve));
    const stream = this.downloads.open(async (bytes) => {
      await ready;
      if (!res.write(bytes)) await once(res, 'drain');
    });
    let what;
    try {
      what = await this.services.call(RUNNER.download, { ...params, ...query, inbox: stream.inbox }, 60_000);
    } catch (error) {
      stream.stop();
      throw error;
    }
    res.status(200);
    res.setHeader('content-type', what.kind === 'tar' ? 'application/x-tar' : 'application/octet-stream');
    res.setHeader('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(what.name)}`);
    headersSent();
    try {
      await stream.done;
      res.end();
    } catch {
      // Half a file must not look like a whole one: the connection is cut, not ended.
      res.destroy();
    }
  }

  @Route(restores.start)
  restore(@Input() { body }: ValidInput<typeof restores.start>) {
    const { jobId, ...restore } = body;
    return this.jobs.start(jobId, 'restore', { restore });
  }
}

function asMessage({ type, data }: RunEvent): MessageEvent {
  return { type, data };
}
