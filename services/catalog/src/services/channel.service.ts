import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  CHANNEL_SETTINGS,
  channelIssues,
  HandlerError,
  type Channel,
  type ChannelInput,
  type ChannelPatch,
  type Logger,
  type ResolvedChannel,
} from '@cairn/contracts';
import type { ChannelEntity } from '../entities/channel.entity.js';
import { toChannel } from '../mappers/channel.mapper.js';
import { ChannelRepository } from '../repositories/channel.repository.js';
import { LOGGER } from '../tokens.js';
import { translateConstraints } from '../utils/constraint-errors.js';
import { errors } from '../utils/errors.js';
import { openSecrets, sealSecrets } from '../utils/sealed-secrets.js';
import { SecretBox } from '../utils/secret-box.js';

const secretContext = (channelId: string) => (name: string) => `channel:${channelId}:secret:${name}`;

@Injectable()
export class ChannelService {
  constructor(
    private readonly channels: ChannelRepository,
    private readonly secretBox: SecretBox,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async list(): Promise<Channel[]> {
    return (await this.channels.list()).map(toChannel);
  }

  async get(id: string): Promise<Channel> {
    return toChannel(await this.find(id));
  }

  async create(input: ChannelInput): Promise<Channel> {
    const id = randomUUID();
    const created = await this.write(
      this.channels.create({
        id,
        name: input.name,
        kind: input.kind,
        settings: normalisedSettings(input),
        secrets: sealSecrets(this.secretBox, {}, input.secrets ?? {}, secretContext(id)),
        levels: input.levels,
        subjectTemplate: input.subjectTemplate ?? null,
        bodyTemplate: input.bodyTemplate ?? null,
        isDefault: input.default,
        enabled: input.enabled,
      }),
      input.name,
    );
    this.logger.info({ channelId: id, name: input.name, kind: input.kind }, 'channel created');
    return toChannel(created);
  }

  /** The merged channel is checked whole: a patch may change the kind only with matching settings. */
  async update(id: string, patch: ChannelPatch): Promise<Channel> {
    const current = await this.find(id);
    const kind = patch.kind ?? current.kind;
    const settings = patch.settings ?? current.settings;
    const issue = channelIssues({ kind, settings, ...(patch.secrets ? { secrets: patch.secrets } : {}) })[0];
    if (issue)
      throw new HandlerError(
        'bad-request',
        `${issue.path.join('.')}: ${issue.message}`,
        issue.path.join('.'),
      );
    const next: ChannelEntity = {
      ...current,
      name: patch.name ?? current.name,
      kind,
      settings: normalisedSettings({ kind, settings }),
      secrets: sealSecrets(this.secretBox, current.secrets, patch.secrets ?? {}, secretContext(id)),
      levels: patch.levels ?? current.levels,
      subjectTemplate: patch.subjectTemplate === undefined ? current.subjectTemplate : patch.subjectTemplate,
      bodyTemplate: patch.bodyTemplate === undefined ? current.bodyTemplate : patch.bodyTemplate,
      isDefault: patch.default ?? current.isDefault,
      enabled: patch.enabled ?? current.enabled,
    };
    const updated = await this.write(this.channels.update(next), next.name);
    this.logger.info({ channelId: id }, 'channel updated');
    return toChannel(updated);
  }

  async remove(id: string): Promise<{ removed: boolean }> {
    if (!(await this.channels.remove(id))) throw errors.notFound('channel', id);
    this.logger.info({ channelId: id }, 'channel removed');
    return { removed: true };
  }

  /** For the notifier: channels with their secrets decrypted. */
  async resolve(ids?: string[]): Promise<ResolvedChannel[]> {
    return (await this.channels.list(ids)).map((entity) => ({
      ...toChannel(entity),
      secrets: openSecrets(this.secretBox, entity.secrets, secretContext(entity.id)),
    }));
  }

  private async find(id: string): Promise<ChannelEntity> {
    const channel = await this.channels.get(id);
    if (!channel) throw errors.notFound('channel', id);
    return channel;
  }

  private write(write: Promise<ChannelEntity>, name: string): Promise<ChannelEntity> {
    return translateConstraints(write, { channels_name_key: () => errors.nameTaken('channel', name) });
  }
}

/** Stored with the kind's defaults filled in, so every reader sees complete settings. */
function normalisedSettings(channel: Pick<ChannelInput, 'kind' | 'settings'>): Record<string, unknown> {
  return CHANNEL_SETTINGS[channel.kind].parse(channel.settings);
}
