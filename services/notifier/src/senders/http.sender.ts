import { Injectable } from '@nestjs/common';
import { HttpSettings, type ResolvedChannel } from '@cairn/contracts';
import type { Message } from '../report/message.js';
import { expectOk } from './http-status.js';
import { SEND_TIMEOUT_MS, USER_AGENT, type Sender } from './sender.js';

/** Discord refuses longer `content`. */
const DISCORD_LIMIT = 2000;

/**
 * Any verb, JSON, form or plain text. The JSON body carries the whole structured report, plus
 * `text` (Slack) and `content` (Discord) so those webhooks work as they are. Secrets are extra
 * headers (Authorization, ntfy/Gotify tokens).
 */
@Injectable()
export class HttpSender implements Sender {
  async send(channel: ResolvedChannel, message: Message): Promise<void> {
    const settings = HttpSettings.parse(channel.settings);
    const hasBody = settings.method !== 'GET' && settings.method !== 'HEAD';
    // Names are case-insensitive: a channel's own User-Agent or Content-Type replaces ours.
    const headers = new Headers({ 'user-agent': USER_AGENT });
    if (hasBody) headers.set('content-type', CONTENT_TYPES[settings.format]);
    for (const [name, value] of Object.entries({ ...settings.headers, ...channel.secrets }))
      headers.set(name, value);
    const response = await fetch(settings.url, {
      method: settings.method,
      headers,
      ...(hasBody ? { body: bodyOf(settings.format, message) } : {}),
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    await expectOk(response);
  }
}

const CONTENT_TYPES = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded',
  text: 'text/plain; charset=utf-8',
};

function bodyOf(format: HttpSettings['format'], message: Message): string {
  const text = `${message.subject}\n\n${message.body}`;
  switch (format) {
    case 'json':
      return JSON.stringify({
        subject: message.subject,
        message: message.body,
        text,
        content: text.slice(0, DISCORD_LIMIT),
        ...message.data,
      });
    case 'form':
      return new URLSearchParams({ subject: message.subject, message: message.body }).toString();
    case 'text':
      return text;
  }
}
