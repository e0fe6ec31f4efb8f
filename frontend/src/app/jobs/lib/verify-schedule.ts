import type { Schedule } from '../../core/api.types';
import { choiceOf, describeSchedule } from './cron';

/** The verify cadences the wizard offers: early on a Sunday, or on the first of the month. */
export const VERIFY_PRESETS: readonly { cron: string; label: string }[] = [
  { cron: '', label: 'Never' },
  { cron: '0 4 * * 0', label: 'Every week, Sunday at 04:00' },
  { cron: '0 4 1 * *', label: 'Every month, on the 1st at 04:00' },
];

/** A verify cron line in words: "Never", a preset's label, else what the schedule step would say. */
export function describeVerifySchedule(cron: string): string {
  return VERIFY_PRESETS.find((preset) => preset.cron === cron)?.label ?? describeSchedule(choiceOf(cron));
}

/** The presets, and a saved cron line none of them writes (kept unless another is chosen). */
export function verifyOptions(current: string): { cron: string; label: string }[] {
  if (VERIFY_PRESETS.some((preset) => preset.cron === current)) return [...VERIFY_PRESETS];
  return [...VERIFY_PRESETS, { cron: current, label: `As saved: ${describeVerifySchedule(current)}` }];
}

/** '' (never) or the cron line, in the wizard's time zone. */
export function verifyScheduleOf(cron: string, timezone: string): Schedule | null {
  return cron ? { cron, timezone } : null;
}
