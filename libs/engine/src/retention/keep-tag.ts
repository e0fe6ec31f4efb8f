import { CairnError } from '../errors.js';
import type { RetentionRule } from './rule.js';

/**
 * `--keep-tag T`: keeps every snapshot that carries the tag. As in restic, one value may list several
 * tags separated by commas (`--keep-tag daily,offsite`), and then a snapshot needs all of them.
 */
export function tagRule(list: string): RetentionRule {
  const wanted = list.split(',').map((tag) => tag.trim());
  if (wanted.some((tag) => tag === '')) {
    throw new CairnError('usage', `keep-tag "${list}" has an empty tag name`);
  }
  const reason = `tag ${wanted.join(',')}`;
  return {
    apply: (group) =>
      group.map(({ snapshot }) => (wanted.every((tag) => snapshot.tags.includes(tag)) ? reason : undefined)),
  };
}
