import * as z from 'zod';
import { Id, Timestamp } from './common.js';

/** The catalog's mirror of a repository snapshot (the repository stays the source of truth). */
export const SnapshotRecord = z.object({
  id: z.string().regex(/^[0-9a-f]{64}$/),
  jobId: Id,
  time: Timestamp,
  host: z.string(),
  paths: z.array(z.string()),
  tags: z.array(z.string()),
  summary: z.record(z.string(), z.number()).nullable(),
});
export type SnapshotRecord = z.infer<typeof SnapshotRecord>;

export const TreeEntry = z.object({
  name: z.string(),
  path: z.string(),
  type: z.string(),
  size: z.number().optional(),
  mtime: Timestamp,
  mode: z.number(),
});
export type TreeEntry = z.infer<typeof TreeEntry>;
