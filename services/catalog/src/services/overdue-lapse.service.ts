import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { CATALOG } from '@cairn/contracts';
import { errors } from '../utils/errors.js';
import { translateConstraints } from '../utils/constraint-errors.js';
import { OverdueLapseRepository } from '../repositories/overdue-lapse.repository.js';

type Lapse = z.output<typeof CATALOG.overdue.set.request>;

/** The notifier's memory of the jobs it reported overdue (one lapse per job at most). */
@Injectable()
export class OverdueLapseService {
  constructor(private readonly lapses: OverdueLapseRepository) {}

  async list(): Promise<Lapse[]> {
    return (await this.lapses.list()).map(({ jobId, since, thresholdMinutes }) => ({
      jobId,
      since: since.toISOString(),
      thresholdMinutes,
    }));
  }

  async set({ jobId, since, thresholdMinutes }: Lapse): Promise<{ ok: true }> {
    await translateConstraints(this.lapses.upsert({ jobId, since: new Date(since), thresholdMinutes }), {
      overdue_lapses_job_id_fkey: () => errors.notFound('job', jobId),
    });
    return { ok: true };
  }

  async clear(jobId: string): Promise<{ removed: boolean }> {
    return { removed: await this.lapses.remove(jobId) };
  }
}
