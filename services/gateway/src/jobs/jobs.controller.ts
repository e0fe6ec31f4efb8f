import { Controller } from '@nestjs/common';
import { API, CATALOG, type JobExport, type ValidInput } from '@cairn/contracts';
import { ServiceClient } from '../catalog/catalog.repository.js';
import { Input, Route } from '../http/route.js';
import { JobsService } from './jobs.service.js';

const ROUTES = API.jobs;

@Controller()
export class JobsController {
  constructor(
    private readonly services: ServiceClient,
    private readonly jobs: JobsService,
  ) {}

  @Route(ROUTES.list)
  list() {
    return this.services.call(CATALOG.jobs.list, {});
  }

  @Route(ROUTES.create)
  create(@Input() { body }: ValidInput<typeof ROUTES.create>) {
    return this.services.call(CATALOG.jobs.create, body);
  }

  @Route(ROUTES.import)
  async import(@Input() { body }: ValidInput<typeof ROUTES.import>) {
    const { job, destination, passphrase, destinationSecrets } = body;
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

  @Route(ROUTES.get)
  get(@Input() { params }: ValidInput<typeof ROUTES.get>) {
    return this.services.call(CATALOG.jobs.get, params);
  }

  @Route(ROUTES.update)
  update(@Input() { params, body }: ValidInput<typeof ROUTES.update>) {
    return this.services.call(CATALOG.jobs.update, { id: params.id, patch: body });
  }

  @Route(ROUTES.remove)
  async remove(@Input() { params }: ValidInput<typeof ROUTES.remove>): Promise<void> {
    await this.services.call(CATALOG.jobs.remove, params);
  }

  @Route(ROUTES.run)
  run(@Input() { params, body }: ValidInput<typeof ROUTES.run>) {
    return this.jobs.start(params.id, body.kind, body.verify ? { verify: body.verify } : {});
  }

  @Route(ROUTES.runs)
  runs(@Input() { params, query }: ValidInput<typeof ROUTES.runs>) {
    return this.services.call(CATALOG.runs.list, { jobId: params.id, ...query });
  }

  @Route(ROUTES.snapshots)
  snapshots(@Input() { params }: ValidInput<typeof ROUTES.snapshots>) {
    return this.services.call(CATALOG.snapshots.list, { jobId: params.id });
  }

  @Route(ROUTES.export)
  async export(@Input() { params, query }: ValidInput<typeof ROUTES.export>) {
    const job = await this.services.call(CATALOG.jobs.get, params);
    if (query.format === 'cli') return { commandLine: await this.jobs.commandLine(job) };
    const destination = await this.services.call(CATALOG.destinations.get, { id: job.destinationId });
    const exported: JobExport = {
      version: 1,
      job: {
        name: job.name,
        sources: job.sources,
        excludes: job.excludes,
        schedule: job.schedule,
        verifySchedule: job.verifySchedule ?? null,
        retention: job.retention,
        limits: job.limits ?? null,
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
