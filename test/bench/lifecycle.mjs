// `forget --prune` side by side (issue 4): each tool backs up the same folder ten times, 5 % of its
// files rewritten between backups, then forgets all but the last three snapshots and prunes. The
// forget+prune is timed; the repository size after it and a full check follow.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createCipheriv, createHash } from 'node:crypto';
import { join } from 'node:path';
import { BENCH, initRepo, measure, repoBytes, run } from './process.mjs';

const ROUNDS = 10;
const CHURN = 0.05;
const FILE_BYTES = 1024 * 1024;

function fileBytes(seed) {
  const key = createHash('sha256').update(seed).digest();
  return createCipheriv('aes-256-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(FILE_BYTES));
}

// Round r rewrites a different 5 % of the files (and round 0 writes all of them).
function writeRound(dir, files, round) {
  const every = Math.round(1 / CHURN);
  for (let i = 0; i < files; i++) {
    if (round === 0 || (i + round * 7) % every === 0)
      writeFileSync(join(dir, `file-${i}`), fileBytes(`churn-${round}-${i}`));
  }
}

/** Runs the comparison for the named tools (each must define backupPath and forgetPrune). */
export function benchForgetPrune(tools, names, sizeMiB) {
  const dir = join(BENCH, 'churn');
  const files = Math.max(20, Math.round(sizeMiB / 4));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const runs = names.map((name) => {
    const tool = {
      name: `${name}-churn`,
      def: tools[name],
      repo: join(BENCH, 'repos', `${name}-churn`),
      state: join(BENCH, 'state', `${name}-churn`),
    };
    rmSync(tool.repo, { recursive: true, force: true });
    mkdirSync(tool.state, { recursive: true });
    initRepo(tool);
    return { name, tool };
  });
  for (let round = 0; round < ROUNDS; round++) {
    writeRound(dir, files, round);
    for (const { tool } of runs) {
      const res = run(tool, `churn-backup-${round}`, tool.def.backupPath(tool, dir).argv);
      if (!res.ok) throw new Error(`${tool.name}: backup ${round} failed (see ${res.log})`);
    }
  }
  const results = {};
  for (const { name, tool } of runs) {
    process.stdout.write(`  ${name}: forget --keep-last 3 --prune … `);
    const timing = measure(tool, 'forgetPrune');
    const checked = run(tool, 'churn-check', tool.def.check(tool).argv);
    results[name] = { ...timing, repoBytes: repoBytes(tool), checkPassed: checked.ok };
    process.stdout.write(`${timing.seconds.toFixed(2)} s\n`);
    if (!checked.ok) throw new Error(`${name}: check after forget --prune failed (see ${checked.log})`);
  }
  rmSync(dir, { recursive: true, force: true });
  return { rounds: ROUNDS, churn: CHURN, files, fileMiB: FILE_BYTES / 2 ** 20, keepLast: 3, tools: results };
}
