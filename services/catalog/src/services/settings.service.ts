import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from '@cairn/contracts';
import { SettingRepository } from '../repositories/setting.repository.js';
import { LOGGER } from '../tokens.js';

type Settings = Record<string, unknown>;

/** Free-form settings (UI preferences, defaults); a null value removes a key. */
@Injectable()
export class SettingsService {
  constructor(
    private readonly settings: SettingRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async get(): Promise<Settings> {
    return Object.fromEntries((await this.settings.list()).map((row) => [row.key, row.value]));
  }

  async update(changes: Settings): Promise<Settings> {
    const entries = Object.entries(changes);
    const values = Object.fromEntries(entries.filter(([, value]) => value !== null && value !== undefined));
    const removed = entries.filter(([, value]) => value === null || value === undefined).map(([key]) => key);
    await this.settings.write(values, removed);
    this.logger.info({ keys: entries.map(([key]) => key) }, 'settings updated');
    return this.get();
  }
}
