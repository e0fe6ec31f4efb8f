// Renders results as one padded Markdown document: readable on a terminal and pasteable into the README.
// Every ratio is Cairn's to the reference tool (tools.mjs: restic 0.19), against the issue's budgets.
const MiB = 1024 * 1024;

// A step that failed says so; steps never reached after a failure stay blank.
const cell = (result, stepId, format) =>
  result.steps[stepId] ? format(result.steps[stepId]) : result.failedStep === stepId ? 'FAILED' : '—';
const seconds = (m) => `${m.seconds.toFixed(2)} s`;
const memory = (m) => `${Math.round(m.maxRssKiB / 1024)} MiB`;
const mib = (bytes) => (bytes == null ? '—' : `${(bytes / MiB).toFixed(1)} MiB`);

function ratioCells(cairn, restic, limit) {
  if (cairn == null || restic == null || restic === 0) return ['—', `≤ ${limit.toFixed(2)}`];
  const ratio = cairn / restic;
  return [ratio.toFixed(2), `${ratio <= limit ? 'OK' : 'OVER'} (≤ ${limit.toFixed(2)})`];
}

function table(header, align, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const pad = (cell, i) => (align[i] === 'r' ? cell.padStart(widths[i]) : cell.padEnd(widths[i]));
  const line = (cells) => `| ${cells.map(pad).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (align[i] === 'r' ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

// Cairn pads every pack to a Padmé length against chunk-size fingerprinting; this is what it costs.
function paddingLine(cairn, limit) {
  const stats = cairn?.stats;
  if (!stats || stats.paddingBytes == null || !(stats.storedBytes > 0)) return undefined;
  const share = stats.paddingBytes / stats.storedBytes;
  return (
    `Cairn's pack padding (Padmé): ${mib(stats.paddingBytes)} of ${mib(stats.storedBytes)}, ` +
    `${(100 * share).toFixed(2)} % — ${share <= limit ? 'OK' : 'OVER'} (≤ ${(100 * limit).toFixed(0)} %).`
  );
}

const versionOf = (results, name) =>
  `${name.replace(/-[\d.]+$/, '')} ${results.versions[name.replace(/-(sftp|s3)$/, '')] ?? ''}`.trim();

/** The ratio of Cairn to the reference for `pick` (a step's seconds or peak RSS), with its budget. */
function budgetCells(set, reference, pick, limit) {
  const of = (name) => (set.tools[name] ? pick(set.tools[name]) : undefined);
  return ratioCells(of('cairn'), of(reference), limit);
}

const stepSeconds = (id) => (result) => result.steps[id]?.seconds;
const stepRss = (id) => (result) => result.steps[id]?.maxRssKiB;

/** Cairn against the reference on every data set and phase: the issue's budgets, OK or OVER. */
export function renderSummary(results) {
  const ref = results.reference;
  const sets = results.datasets.filter((set) => set.tools.cairn && set.tools[ref]);
  const m = results.machine;
  const head = [
    `Machine: ${m.cpus} CPUs, ${m.memGiB} GiB RAM (shared; load average ${m.loadAverage} at the start), ` +
      `Node ${m.node}; ${Object.keys(results.versions)
        .map((name) => versionOf(results, name))
        .join(', ')}; scale ${results.scale}; one run, ${results.date}.`,
    '',
  ];
  if (sets.length === 0) return head.join('\n');
  const steps = [
    ['backup1', 'first backup'],
    ['backup2', 'unchanged re-backup'],
    ['restore', 'restore'],
    ['check', 'check --read-data'],
  ];
  const verdict = ([ratio, budget]) => (ratio === '—' ? '—' : `${ratio} ${budget.split(' ')[0]}`);
  const summary = (what, pick, limit) =>
    table(
      [`cairn / ${versionOf(results, ref)}, ${what} (≤ ${limit.toFixed(2)})`, ...steps.map(([, l]) => l)],
      ['l', ...steps.map(() => 'r')],
      sets.map((set) => [set.label, ...steps.map(([id]) => verdict(budgetCells(set, ref, pick(id), limit)))]),
    );
  const cells = sets.flatMap((set) =>
    steps.flatMap(([id]) => [
      budgetCells(set, ref, stepSeconds(id), results.budgets.time),
      budgetCells(set, ref, stepRss(id), results.budgets.memory),
    ]),
  );
  const held = cells.filter(([, budget]) => budget.startsWith('OK')).length;
  return [
    ...head,
    summary('time', stepSeconds, results.budgets.time),
    '',
    summary('peak RSS', stepRss, results.budgets.memory),
    '',
    `Budgets held: ${held} of ${cells.length}.`,
    '',
  ].join('\n');
}

/** One data set: every tool's times, repository size and peak memory, Cairn's ratios and budgets. */
export function renderDataset(results, set, steps) {
  const names = Object.keys(set.tools);
  const ref = results.reference;
  const hasBoth = names.includes('cairn') && names.includes(ref);
  const budget = results.budgets;
  const header = (first) => [
    first,
    ...names.map((n) => versionOf(results, n)),
    ...(hasBoth ? [`cairn / ${versionOf(results, ref)}`, 'budget'] : []),
  ];
  const align = ['l', ...names.map(() => 'r'), ...(hasBoth ? ['r', 'l'] : [])];
  const rows = (format, pick, limit) =>
    steps.map((step) => [
      step.label,
      ...names.map((n) => cell(set.tools[n], step.id, format)),
      ...(hasBoth ? budgetCells(set, ref, pick(step.id), limit) : []),
    ]);
  const timeRows = rows(seconds, stepSeconds, budget.time);
  timeRows.push([
    'repository size',
    ...names.map((n) => mib(set.tools[n].repoBytes)),
    ...(hasBoth ? budgetCells(set, ref, (r) => r.repoBytes, budget.size) : []),
  ]);
  const failures = names
    .filter((n) => set.tools[n].error)
    .map((n) => `* **${n} failed** (${set.tools[n].failedStep}): ${set.tools[n].error.split('\n')[0]}`);
  const padding = paddingLine(set.tools.cairn, budget.padding);
  return [
    `### ${set.label}: ${mib(set.bytes)} in ${set.files} files (${set.description})`,
    '',
    table(header(''), align, timeRows),
    ...(padding ? ['', padding] : []),
    '',
    table(header('peak memory (RSS)'), align, rows(memory, stepRss, budget.memory)),
    ...(failures.length ? ['', ...failures] : []),
    '',
  ].join('\n');
}

// Remote destinations: over SFTP Cairn against restic with the time budget; to S3 (s3rver) Cairn
// against itself on a local folder, a ratio only, since restic cannot write to s3rver.
export function renderRemote(results, steps) {
  const remote = results.remote ?? {};
  const shown = steps.filter((step) =>
    Object.values(remote).some((r) => r.steps[step.id] || r.failedStep === step.id),
  );
  const sections = [];
  const sftpCairn = remote['cairn-sftp'];
  const sftpRestic = remote['restic-sftp'];
  if (sftpCairn || sftpRestic) {
    const rows = shown.map((step) => [
      step.label,
      sftpCairn ? cell(sftpCairn, step.id, seconds) : '—',
      sftpRestic ? cell(sftpRestic, step.id, seconds) : '—',
      ...ratioCells(
        sftpCairn?.steps[step.id]?.seconds,
        sftpRestic?.steps[step.id]?.seconds,
        results.budgets.time,
      ),
    ]);
    sections.push(
      table(
        ['over SFTP (OpenSSH, loopback)', 'cairn', versionOf(results, 'restic'), 'cairn / restic', 'budget'],
        ['l', 'r', 'r', 'r', 'l'],
        rows,
      ),
    );
  }
  const s3 = remote['cairn-s3'];
  if (s3) {
    const local = results.datasets.find((set) => set.name === 'bench')?.tools.cairn;
    const rows = shown.map((step) => {
      const [ratio] = ratioCells(s3.steps[step.id]?.seconds, local?.steps[step.id]?.seconds, Infinity);
      return [step.label, cell(s3, step.id, seconds), local ? cell(local, step.id, seconds) : '—', ratio];
    });
    sections.push(
      table(
        ['to S3 (s3rver, loopback)', 'cairn on s3rver', 'cairn on a folder', 's3rver / folder'],
        ['l', 'r', 'r', 'r'],
        rows,
      ),
    );
  }
  const failures = Object.entries(remote)
    .filter(([, r]) => r.error)
    .map(([name, r]) => `* **${name} failed** (${r.failedStep}): ${r.error.split('\n')[0]}`);
  if (sections.length === 0 && failures.length === 0) return '';
  return [
    '',
    '### Remote destinations (the bench set)',
    '',
    ...sections.flatMap((s) => [s, '']),
    ...(failures.length ? [...failures, ''] : []),
  ].join('\n');
}

/** The forget --prune comparison (issue 4): time, peak memory and repository size afterwards. */
export function renderLifecycle(results) {
  const life = results.lifecycle;
  if (!life) return '';
  if (life.error) return `\n### forget --prune\n\nFAILED: ${life.error}\n`;
  const names = Object.keys(life.tools);
  const both = names.includes('cairn') && names.includes('restic');
  const get = (name, key) => life.tools[name][key];
  const rows = [
    [
      'forget --prune',
      ...names.map((n) => `${get(n, 'seconds').toFixed(2)} s`),
      ...(both ? ratioCells(get('cairn', 'seconds'), get('restic', 'seconds'), results.budgets.time) : []),
    ],
    [
      'repository size after',
      ...names.map((n) => mib(get(n, 'repoBytes'))),
      ...(both
        ? ratioCells(get('cairn', 'repoBytes'), get('restic', 'repoBytes'), results.budgets.size)
        : []),
    ],
    [
      'peak memory',
      ...names.map((n) => `${Math.round(get(n, 'maxRssKiB') / 1024)} MiB`),
      ...(both
        ? ratioCells(get('cairn', 'maxRssKiB'), get('restic', 'maxRssKiB'), results.budgets.memory)
        : []),
    ],
  ];
  const header = ['', ...names, ...(both ? ['cairn / restic', 'budget'] : [])];
  const intro = `${life.rounds} backups of ${life.files} × ${life.fileMiB} MiB files, ${life.churn * 100} % rewritten before each; then forget --keep-last ${life.keepLast} --prune (check passed after it for every tool).`;
  return `\n### forget --prune\n\n${intro}\n\n${table(header, ['l', ...names.map(() => 'r'), ...(both ? ['r', 'l'] : [])], rows)}\n`;
}

export function renderIndex(results) {
  const index = results.index;
  if (!index) return '';
  if (index.error) return `\n### In-memory index\n\nFAILED: ${index.error}\n`;
  const limit = results.budgets.indexBytesPerBlob;
  const perBlob = index.bytesPerBlob;
  return (
    `\n### In-memory index\n\n${index.blobs.toLocaleString('en-US')} blobs in packs of ${index.blobsPerPack}: ` +
    `${(index.bytes / MiB).toFixed(0)} MiB, ${perBlob.toFixed(1)} bytes per blob — ` +
    `${perBlob <= limit ? 'OK' : 'OVER'} (≤ ${limit}); built in ${index.buildSeconds.toFixed(1)} s, ` +
    `${(index.lookupsPerSecond / 1e6).toFixed(1)} million lookups/s.\n`
  );
}
