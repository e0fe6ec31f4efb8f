import { Injectable } from '@nestjs/common';
import { DataSource, LessThan, type Repository } from 'typeorm';
import { SessionEntity } from '../entities/session.entity.js';

@Injectable()
export class SessionRepository {
  private readonly table: Repository<SessionEntity>;

  constructor(dataSource: DataSource) {
    this.table = dataSource.getRepository(SessionEntity);
  }

  async insert(id: string, tokenId: string, expiresAt: Date): Promise<void> {
    await this.table.insert({ id, tokenId, expiresAt });
  }

  /** Swaps the current token for the next in one statement: of two racing callers, one wins. */
  async swapToken(id: string, tokenId: string, nextTokenId: string, expiresAt: Date): Promise<boolean> {
    const result = await this.table
      .createQueryBuilder()
      .update()
      .set({ tokenId: nextTokenId, expiresAt })
      .where('id = :id AND token_id = :tokenId', { id, tokenId })
      .execute();
    return result.affected === 1;
  }

  async remove(id: string): Promise<boolean> {
    return Boolean((await this.table.delete({ id })).affected);
  }

  async removeExpired(now: Date): Promise<void> {
    await this.table.delete({ expiresAt: LessThan(now) });
  }
}
