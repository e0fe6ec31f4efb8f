/** Whether `path` lies strictly inside the folder `folder`. */
export function isInside(path: string, folder: string): boolean {
  const prefix = folder.endsWith('/') ? folder : `${folder}/`;
  return path !== folder && path.startsWith(prefix);
}

/**
 * Selects or unselects a path. Selecting a folder drops the paths inside it from the selection: the
 * folder already takes them, and listing both would read as if they were something extra.
 */
export function toggleSelection(selected: readonly string[], path: string): string[] {
  if (selected.includes(path)) return selected.filter((candidate) => candidate !== path);
  return [...selected.filter((candidate) => !isInside(candidate, path)), path].sort();
}
