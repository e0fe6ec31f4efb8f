// What the scale test and `make bench`-style looks need: a folder of many small files in a source
// root, a job backing it up, and a crowd of jobs on the dashboard.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { API } from '@cairn/contracts';

/** `count` tiny files named note-1.txt … note-<count>.txt (people's order, not the code points'). */
export async function writeManyFiles(folder, count) {
  await fs.mkdir(folder, { recursive: true });
  const names = Array.from({ length: count }, (_, index) => `note-${index + 1}.txt`);
  for (let at = 0; at < names.length; at += 500)
    await Promise.all(names.slice(at, at + 500).map((name) => fs.writeFile(join(folder, name), `${name}\n`)));
  return names;
}

/** `count` jobs through the API, each backing up `sources` to its own repository at `destinationId`. */
export async function createJobs(api, { count, sources, destinationId, prefix }) {
  const jobs = [];
  for (let index = 1; index <= count; index++) {
    const { json } = await api.call(
      API.jobs.create,
      { body: { name: `${prefix} ${index}`, sources, destinationId, passphrase: 'a long job passphrase' } },
      { expect: 201 },
    );
    jobs.push(json);
  }
  return jobs;
}
