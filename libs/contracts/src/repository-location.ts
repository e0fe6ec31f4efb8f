/** Where a job's repository is: its destination's URL (or folder) and the job's path below it. */
export function repositoryUrl(destinationUrl: string, repositoryPath: string): string {
  return `${destinationUrl.replace(/\/+$/, '')}/${repositoryPath}`;
}

/** A job's default repository path: its name, lower case, with anything but letters and digits as `-`. */
export function defaultRepositoryPath(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return slug || 'job';
}
