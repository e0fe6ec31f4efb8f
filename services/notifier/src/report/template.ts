import { formatBytes } from '@cairn/contracts';
import type { ReportData } from './report.js';

/** Byte counts read better humanised in a message; JSON bodies keep the numbers. */
const BYTE_FIELDS = /^(bytes\w*|repositorySize)$/;

const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** Duplicati's variables (case-insensitive), so migrated templates keep working. */
function duplicatiVariable(name: string, data: ReportData, summary: string): string | undefined {
  switch (name.toLowerCase()) {
    case 'operationname':
      return capitalized(data.run?.kind ?? data.event);
    case 'parsedresult':
      return capitalized(data.level);
    case 'result':
      return summary;
    case 'remoteurl':
      return data.job.repositoryPath;
    case 'localpath':
      return data.job.sources.join(', ');
    case 'machine-id':
    case 'machine-name':
      return data.host;
    case 'backup-id':
      return data.job.id ?? '';
    case 'backup-name':
      return data.job.name;
    default:
      return undefined;
  }
}

function lookup(data: ReportData, path: string): string {
  let value: unknown = data;
  const keys = path.split('.');
  for (const key of keys) {
    if (value === null || typeof value !== 'object') return '';
    value = (value as Record<string, unknown>)[key];
  }
  if (value === undefined || value === null) return '';
  if (typeof value === 'number' && BYTE_FIELDS.test(keys.at(-1)!)) return formatBytes(value);
  if (Array.isArray(value)) return value.join('\n');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * Fills `{{job.name}}`-style paths into the report data, and Duplicati's `%OPERATIONNAME%`-style
 * names. One pass, so a value that itself looks like a variable (an error message quoting a
 * template) is never expanded. An unknown `{{path}}` is empty; an unknown `%NAME%` is left as it
 * is, since `%` also appears in ordinary text ("50% done").
 */
export function render(template: string, data: ReportData, summary: string): string {
  return template.replace(
    /\{\{\s*([\w.-]+)\s*\}\}|%([A-Za-z][\w-]*)%/g,
    (whole, path: string | undefined, name: string | undefined) =>
      path !== undefined ? lookup(data, path) : (duplicatiVariable(name!, data, summary) ?? whole),
  );
}
