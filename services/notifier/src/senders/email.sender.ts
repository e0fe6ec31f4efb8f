import { Injectable } from '@nestjs/common';
import nodemailer from 'nodemailer';
import { EmailSettings, type ResolvedChannel } from '@cairn/contracts';
import type { Message } from '../report/message.js';
import { SEND_TIMEOUT_MS, type Sender } from './sender.js';

/** SMTP through nodemailer: `smtps://` is TLS from the start, `smtp://` upgrades with STARTTLS when offered. */
@Injectable()
export class EmailSender implements Sender {
  async send(channel: ResolvedChannel, message: Message): Promise<void> {
    const settings = EmailSettings.parse(channel.settings);
    const url = new URL(settings.url);
    const secure = url.protocol === 'smtps:';
    const transport = nodemailer.createTransport({
      host: url.hostname,
      port: url.port ? Number(url.port) : secure ? 465 : 587,
      secure,
      requireTLS: settings.requireTls,
      ...(settings.username
        ? { auth: { user: settings.username, pass: channel.secrets.password ?? '' } }
        : {}),
      connectionTimeout: SEND_TIMEOUT_MS,
      greetingTimeout: SEND_TIMEOUT_MS,
      socketTimeout: SEND_TIMEOUT_MS,
    });
    try {
      await transport.sendMail({
        from: settings.from,
        to: settings.to,
        subject: message.subject,
        text: message.body,
      });
    } finally {
      transport.close();
    }
  }
}
