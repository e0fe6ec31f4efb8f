import { Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import { JobEntity } from '../entities/job.entity.js';
import type { DestinationEntity } from '../entities/destination.entity.js';

export type NewJob = Omit<JobEntity, 'createdAt' | 'updatedAt' | 'destination'>;
export type JobWithDestination = JobEntity & { destination: DestinationEntity };

@Injectable()
export class JobRepository {
  private readonly table: Repository<JobEntity>;

  constructor(dataSource: DataSource) {
    this.table = dataSource.getRepository(JobEntity);
  }

  list(): Promise<JobEntity[]> {
    return this.table.find({ order: { name: 'ASC' } });
  }

  get(id: string): Promise<JobEntity | null> {
    return this.table.findOneBy({ id });
  }

  getWithDestination(id: string): Promise<JobWithDestination | null> {
    return this.table.findOne({
      where: { id },
      relations: { destination: true },
    }) as Promise<JobWithDestination | null>;
  }

  /** The names of the jobs that keep their repository at this destination, in name order. */
  async namesUsing(destinationId: string): Promise<string[]> {
    const jobs = await this.table.find({
      select: { name: true },
      where: { destinationId },
      order: { name: 'ASC' },
    });
    return jobs.map((job) => job.name);
  }

  exists(id: string): Promise<boolean> {
    return this.table.existsBy({ id });
  }

  async create(job: NewJob): Promise<JobEntity> {
    await this.table.insert(job);
    return this.table.findOneByOrFail({ id: job.id });
  }

  async update(job: JobEntity): Promise<JobEntity> {
    const { id, createdAt: _createdAt, updatedAt: _updatedAt, destination: _destination, ...fields } = job;
    await this.table.update({ id }, fields);
    return this.table.findOneByOrFail({ id });
  }

  async remove(id: string): Promise<boolean> {
    return ((await this.table.delete({ id })).affected ?? 0) > 0;
  }
}
