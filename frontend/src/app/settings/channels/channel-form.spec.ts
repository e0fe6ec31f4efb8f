import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { ApiService } from '../../core/api';
import type { Channel, ChannelInput } from '../../core/api.types';
import { click, fieldErrors, root, settle, type } from '../test-helpers';
import { ChannelForm } from './channel-form';

describe('ChannelForm', () => {
  let fixture: ComponentFixture<ChannelForm>;
  const createChannel = vi.fn(async (input: ChannelInput) => ({ ...input, id: 'new' }) as unknown as Channel);

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        { provide: ApiService, useValue: { createChannel } },
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    fixture = TestBed.createComponent(ChannelForm);
    await settle(fixture);
  });
  afterEach(() => {
    TestBed.resetTestingModule();
    createChannel.mockClear();
  });

  async function chooseKind(label: string): Promise<void> {
    const toggle = [...root(fixture).querySelectorAll<HTMLButtonElement>('mat-button-toggle button')].find(
      (each) => each.textContent?.includes(label),
    );
    toggle!.click();
    await settle(fixture);
  }

  it('asks for the email fields in words and sends nothing', async () => {
    type(fixture, 'Mail server', 'mail.example.org');
    type(fixture, 'To', 'ann@example.org, bob');
    await click(fixture, 'Add channel');
    expect(fieldErrors(fixture)).toEqual([
      'Give the channel a name, such as “Family phone” or “Ops mailbox”.',
      'Write it as smtp://host:587 (STARTTLS) or smtps://host:465 (TLS), without a path.',
      'Enter the sender address.',
      '“bob” is not an email address.',
    ]);
    expect(createChannel).not.toHaveBeenCalled();
  });

  it('asks a Telegram channel for its token and chat, not for email fields', async () => {
    await chooseKind('Telegram');
    type(fixture, 'Channel name', 'Phone');
    type(fixture, 'Chat ID', 'my group');
    await click(fixture, 'Add channel');
    expect(fieldErrors(fixture)).toEqual([
      'Enter the bot token that @BotFather gave you.',
      'A chat ID is a number (negative for groups) or a public @channelname.',
    ]);
    expect(createChannel).not.toHaveBeenCalled();
  });

  it('adds a webhook with a secret header and reports the saved channel', async () => {
    const saved = vi.fn();
    fixture.componentRef.instance.saved.subscribe(saved);
    await chooseKind('Webhook');
    type(fixture, 'Channel name', 'Receiver');
    type(fixture, 'Webhook URL', 'http://127.0.0.1:9977/hook');
    await click(fixture, 'Add header');
    type(fixture, 'Header name', 'Authorization');
    type(fixture, 'Header value', 'Bearer token');
    root(fixture).querySelector<HTMLInputElement>('.header-row mat-checkbox input')!.click();
    await click(fixture, 'Add channel');
    expect(fieldErrors(fixture)).toEqual([]);
    expect(createChannel).toHaveBeenCalledWith(
      expect.objectContaining({
        name: 'Receiver',
        kind: 'http',
        settings: { url: 'http://127.0.0.1:9977/hook', method: 'POST', format: 'json', headers: {} },
        secrets: { Authorization: 'Bearer token' },
      }),
    );
    expect(saved).toHaveBeenCalledWith(expect.objectContaining({ id: 'new' }));
  });
});
