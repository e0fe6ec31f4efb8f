import { Injectable } from '@nestjs/common';
import type { ChannelKind } from '@cairn/contracts';
import { EmailSender } from './email.sender.js';
import { HttpSender } from './http.sender.js';
import type { Sender } from './sender.js';
import { TelegramSender } from './telegram.sender.js';

/** The sender of each channel kind. */
@Injectable()
export class Senders {
  private readonly byKind: Record<ChannelKind, Sender>;

  constructor(email: EmailSender, http: HttpSender, telegram: TelegramSender) {
    this.byKind = { email, http, telegram };
  }

  for(kind: ChannelKind): Sender {
    return this.byKind[kind];
  }
}
