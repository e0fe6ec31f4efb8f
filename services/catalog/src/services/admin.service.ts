import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from '@cairn/contracts';
import { AdminRepository } from '../repositories/admin.repository.js';
import { LOGGER } from '../tokens.js';

/** The admin user's password hash; the gateway hashes and verifies, the catalog only stores. */
@Injectable()
export class AdminService {
  constructor(
    private readonly admin: AdminRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async get(): Promise<{ passwordHash: string | null }> {
    return { passwordHash: await this.admin.getPasswordHash() };
  }

  async setPassword(passwordHash: string): Promise<{ ok: true }> {
    await this.admin.setPasswordHash(passwordHash);
    this.logger.info('admin password changed');
    return { ok: true };
  }
}
