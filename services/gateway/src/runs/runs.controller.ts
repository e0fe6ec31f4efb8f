import { once } from 'node:events';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Res,
  Sse,
  type MessageEvent,
} from '@nestjs/common';
import type { Response } from 'express';
import { map, type Observable } from 'rxjs';
import { z } from 'zod';
import { CATALOG, Id, RestoreParams, RUNNER } from '@cairn/contracts';
import { ServiceClient } from '../catalog/catalog.repository.js';
import { validate } from '../http/validate.js';
import { JobsService } from '../jobs/jobs.service.js';
import { DownloadStreams } from './download-stream.repository.js';
import { RunEvents } from './run-events.repository.js';
import { RunQueue } from './run-queue.repository.js';

@Controller('api/v1')
export class RunsController {
  constructor(
    private readonly services: ServiceClient,
    private readonly events: RunEvents,
    private readonly queue: RunQueue,
    private readonly jobs: JobsService,
    private readonly downloads: DownloadStreams,
  ) {}

  @Get('runs/:id')
  get(@Param('id') id: string) {
    return this.services.call(CATALOG.runs.get, { id: validate(Id, id) });
  }

  /**
   * Server-sent events: `status`, then `progress` about twice a second, `started`, `finished`. An
   * unknown run is a 404 before the stream opens.
   */
  @Sse('runs/:id/events')
  async watch(@Param('id') id: string): Promise<Observable<MessageEvent>> {
    const run = await this.services.call(CATALOG.runs.get, { id: validate(Id, id) });
    return this.events.watch(run.id).pipe(map(({ type, data }) => ({ type, data: data as object })));
  }

  @Post('runs/:id/cancel')
  @HttpCode(202)
  async cancel(@Param('id') id: string) {
    const run = await this.services.call(CATALOG.runs.get, { id: validate(Id, id) });
    this.queue.cancel(run.id);
    return { cancelling: run.status === 'running' || run.status === 'queued' };
  }

  @Get('runs/:id/log')
  log(@Param('id') id: string) {
    return this.services.call(CATALOG.runs.log, { id: validate(Id, id) });
  }

  @Get('snapshots/:id/tree')
  tree(@Param('id') snapshotId: string, @Query() query: unknown) {
    const { jobId, path } = validate(z.object({ jobId: Id, path: z.string().default('/') }), query);
    return this.services.call(RUNNER.snapshotTree, { jobId, snapshotId, path }, 60_000);
  }

  /** A file of a snapshot, or a folder as a tar archive, streamed from a runner as it reads it. */
  @Get('snapshots/:id/download')
  async download(
    @Param('id') snapshotId: string,
    @Query() query: unknown,
    @Res() res: Response,
  ): Promise<void> {
    const { jobId, path } = validate(z.object({ jobId: Id, path: z.string().startsWith('/') }), query);
    let headersSent!: () => void;
    const ready = new Promise<void>((resolve) => (headersSent = resolve));
    const stream = this.downloads.open(async (bytes) => {
      await ready;
      if (!res.write(bytes)) await once(res, 'drain');
    });
    let what;
    try {
      what = await this.services.call(
        RUNNER.download,
        { jobId, snapshotId, path, inbox: stream.inbox },
        60_000,
      );
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

  @Post('restores')
  @HttpCode(202)
  restore(@Body() body: unknown) {
    const { jobId, ...restore } = validate(RestoreParams.extend({ jobId: Id }), body);
    return this.jobs.start(jobId, 'restore', { restore });
  }
}
