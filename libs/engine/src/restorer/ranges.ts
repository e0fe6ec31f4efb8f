export interface RangeRequest<T> {
  offset: number;
  length: number;
  item: T;
}

export interface RangeGroup<T> {
  offset: number;
  length: number;
  requests: RangeRequest<T>[];
}

/** Blobs closer than this are fetched in one read: one request beats two round trips. */
const MAX_GAP = 1024 * 1024;
/** …but one read stays small enough to hand to a worker without holding much memory. */
const MAX_GROUP = 32 * 1024 * 1024;

/** Groups the wanted blobs of one pack into as few range reads as possible, in pack order. */
export function groupRanges<T>(requests: RangeRequest<T>[]): RangeGroup<T>[] {
  const groups: RangeGroup<T>[] = [];
  for (const request of [...requests].sort((a, b) => a.offset - b.offset)) {
    const group = groups.at(-1);
    const end = request.offset + request.length;
    if (
      group &&
      request.offset - (group.offset + group.length) <= MAX_GAP &&
      end - group.offset <= MAX_GROUP
    ) {
      group.length = Math.max(group.length, end - group.offset);
      group.requests.push(request);
    } else {
      groups.push({ offset: request.offset, length: request.length, requests: [request] });
    }
  }
  return groups;
}
