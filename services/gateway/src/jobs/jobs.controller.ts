import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { CATALOG, Id, JobInput, JobPatch, RemoteError, RunKind } from '@cairn/contracts';
import { ServiceClient } from '../catalog/catalog.repository.js';
import { validate } from '../http/validate.js';
import { JobExport, JobImport } from './job-transfer.js';
import { JobsService } from './jobs.service.js';

const RunBody = z.object({ kind: RunKind.exclude(['restore']).default('backup') });

@Controller('api/v1/jobs')
export class JobsController {
  constructor(
    private readonly services: ServiceClient,
    private readonly jobs: JobsService,
  ) {}

  @Get()
  list() {
    return this.services.call(CATALOG.jobs.list, {});
  }

  @Post()
  create(@Body() body: unknown) {
    return this.services.call(CATALOG.jobs.create, validate(JobInput, body));
  }

  @Post('import')
  async import(@Body() body: unknown) {
    const { job, destination, passphrase, destinationSecrets } = validate(JobImport, body);
    const existing = (await this.services.call(CATALOG.destinations.list, {})).find(
      (candidate) => candidate.url === destination.url,
    );
    const target =
      existing ??
      (await this.services.call(CATALOG.destinations.create, {
        ...destination,
        ...(destinationSecrets ? { secrets: destinationSecrets } : {}),
      }));
    return this.services.call(CATALOG.jobs.create, { ...job, destinationId: target.id, passphrase });
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.services.call(CATALOG.jobs.get, { id: validate(Id, id) });
  }

  @Patch(':id')
  update(@Param('id') id: string, @Body() body: unknown) {
    return this.services.call(CATALOG.jobs.update, {
      id: validate(Id, id),
      patch: validate(JobPatch, body),
    });
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.services.call(CATALOG.jobs.remove, { id: validate(Id, id) });
  }

  @Post(':id/run')
  @HttpCode(202)
  run(@Param('id') id: string, @Body() body: unknown) {
    return this.jobs.start(validate(Id, id), validate(RunBody, body).kind);
  }

  @Get(':id/runs')
  runs(@Param('id') id: string, @Query('limit') limit?: string) {
    return this.services.call(CATALOG.runs.list, {
      jobId: validate(Id, id),
      ...(limit ? { limit: validate(z.coerce.number(), limit) } : {}),
    });
  }

  @Get(':id/snapshots')
  snapshots(@Param('id') id: string) {
    return this.services.call(CATALOG.snapshots.list, { jobId: validate(Id, id) });
  }

  /** `format=json` (default) for import elsewhere; `format=cli` for the equivalent `cairn backup` line. */
  @Get(':id/export')
  async export(@Param('id') id: string, @Query('format') format = 'json') {
    const job = await this.services.call(CATALOG.jobs.get, { id: validate(Id, id) });
    if (format === 'cli') return { commandLine: await this.jobs.commandLine(job) };
    if (format !== 'json')
      throw new RemoteError({ code: 'bad-request', message: 'format must be json or cli', field: 'format' });
    const destination = await this.services.call(CATALOG.destinations.get, { id: job.destinationId });
    const exported: JobExport = {
      version: 1,
      job: {
        name: job.name,
        sources: job.sources,
        excludes: job.excludes,
        schedule: job.schedule,
        retention: job.retention,
        compression: job.compression,
        packSizeMiB: job.packSizeMiB,
        minSourceFilesPercent: job.minSourceFilesPercent,
        repositoryPath: job.repositoryPath,
        enabled: job.enabled,
      },
      destination: { name: destination.name, url: destination.url, options: destination.options },
    };
    return exported;
  }
}
