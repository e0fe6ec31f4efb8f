import { Inject, Injectable } from '@nestjs/common';
import { TelegramSettings, type ResolvedChannel } from '@cairn/contracts';
import type { NotifierConfig } from '../config.js';
import type { Message } from '../report/message.js';
import { NOTIFIER_CONFIG } from '../tokens.js';
import { SEND_TIMEOUT_MS, USER_AGENT, type Sender } from './sender.js';

/** Telegram refuses longer messages. */
const TELEGRAM_LIMIT = 4096;

/** Bot API `sendMessage`, plain text (no parse mode: nothing in a report can break the markup). */
@Injectable()
export class TelegramSender implements Sender {
  constructor(@Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig) {}

  async send(channel: ResolvedChannel, message: Message): Promise<void> {
    const settings = TelegramSettings.parse(channel.settings);
    const token = channel.secrets.botToken;
    if (!token) throw new Error('the channel has no bot token');
    const root = this.config.CAIRN_TELEGRAM_API_ROOT.replace(/\/+$/, '');
    const response = await fetch(`${root}/bot${token}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT },
      body: JSON.stringify({
        chat_id: settings.chatId,
        ...(settings.topicId ? { message_thread_id: settings.topicId } : {}),
        text: `${message.subject}\n\n${message.body}`.slice(0, TELEGRAM_LIMIT),
        disable_web_page_preview: true,
      }),
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    const answer = (await response.json().catch(() => ({}))) as { ok?: boolean; description?: string };
    if (!response.ok || !answer.ok) {
      throw new Error(`Telegram answered ${response.status}: ${answer.description ?? response.statusText}`);
    }
  }
}
