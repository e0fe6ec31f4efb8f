import type { ResolvedChannel } from '@cairn/contracts';

/** Too short to be a real secret, and replacing them would mangle ordinary words. */
const MIN_SECRET_LENGTH = 4;

/**
 * An error message fit for a delivery record and a log line: every secret of the channel replaced,
 * wherever a library may have echoed it (a URL with the bot token, an SMTP reply quoting a login).
 */
export function scrub(text: string, channel: Pick<ResolvedChannel, 'secrets'>): string {
  let clean = text;
  for (const secret of Object.values(channel.secrets)) {
    if (secret.length >= MIN_SECRET_LENGTH) clean = clean.split(secret).join('***');
  }
  return clean.slice(0, 2000);
}
