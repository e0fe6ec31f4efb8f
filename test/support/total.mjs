// Sums the suites' results into the one closing line CI reads: "N passed, N failed".
// A suite that left no result counts as a failure, so a runner that crashed is never silent.
import { existsSync, readFileSync } from 'node:fs';

const [nodeSummary, frontendReport] = process.argv.slice(2);

function fromNode(file) {
  const match = existsSync(file) && /^(\d+) passed, (\d+) failed$/m.exec(readFileSync(file, 'utf8'));
  return match ? { passed: Number(match[1]), failed: Number(match[2]) } : null;
}

function fromVitest(file) {
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  // A spec file that fails to load has no tests but counts as a failed suite.
  return { passed: report.numPassedTests, failed: report.numFailedTests + report.numFailedTestSuites };
}

let passed = 0;
let failed = 0;
for (const [name, result] of [
  ['node:test suites (engine, services, end to end, browser)', fromNode(nodeSummary)],
  ['frontend component tests (vitest)', fromVitest(frontendReport)],
]) {
  if (!result) {
    console.log(`${name}: left no result (the runner did not finish)`);
    failed++;
    continue;
  }
  console.log(`${name}: ${result.passed} passed, ${result.failed} failed`);
  passed += result.passed;
  failed += result.failed;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
