import type { Channel } from '@cairn/contracts';
import { defaultBody, defaultSubject } from './defaults.js';
import type { ReportData } from './report.js';
import { render } from './template.js';

/** What a sender sends: the rendered subject and body, and the data for structured bodies. */
export interface Message {
  subject: string;
  body: string;
  data: ReportData;
}

/** The channel's own templates where it has them, the defaults otherwise. */
export function messageFor(
  channel: Pick<Channel, 'subjectTemplate' | 'bodyTemplate'>,
  data: ReportData,
): Message {
  const summary = defaultBody(data);
  return {
    subject: channel.subjectTemplate ? render(channel.subjectTemplate, data, summary) : defaultSubject(data),
    body: channel.bodyTemplate ? render(channel.bodyTemplate, data, summary) : summary,
    data,
  };
}
