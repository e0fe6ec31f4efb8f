// The chart under test and the two Helms it is checked with, shared by the suites in test/helm.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT } from '../deploy/project.mjs';
import { goTool } from '../support/go-tools.mjs';

export const CHART = join(ROOT, 'helm', 'cairn');
export const CI_VALUES = readdirSync(join(CHART, 'ci'))
  .filter((name) => name.endsWith('-values.yaml'))
  .sort();
// Built (or taken from the cache) before any test starts: on a cold cache a build outlasts a test's timeout.
export const HELMS = { 'Helm 4': goTool('helm'), 'Helm 3': goTool('helm3') };
// Helm 3's `template` assumes Kubernetes 1.20 unless told, older than the chart's kubeVersion.
export const TEMPLATE = ['template', 'backup', CHART, '--kube-version', '1.34.0'];
export const SERVICE_MONITOR_API = 'monitoring.coreos.com/v1/ServiceMonitor';
export const PROMETHEUS_RULE_API = 'monitoring.coreos.com/v1/PrometheusRule';
/** The Prometheus Operator's APIs, for `helm template` to render what needs them. */
export const PROMETHEUS_OPERATOR = [
  '--api-versions',
  SERVICE_MONITOR_API,
  '--api-versions',
  PROMETHEUS_RULE_API,
];

export function helm(binary, args, env = {}) {
  const result = spawnSync(binary, args, {
    encoding: 'utf8',
    env: {
      ...process.env,
      HELM_CACHE_HOME: '/tmp/cairn-helm/cache',
      HELM_CONFIG_HOME: '/tmp/cairn-helm/config',
      ...env,
    },
  });
  if (result.error) throw result.error;
  return result;
}

/** The objects `helm template` renders, as plain objects. */
export function render(binary, valuesFile, ...extra) {
  const values = valuesFile ? ['-f', join(CHART, 'ci', valuesFile)] : [];
  const result = helm(binary, [...TEMPLATE, '--namespace', 'cairn', ...values, ...extra]);
  assert.equal(result.status, 0, result.stderr);
  return parseAllDocuments(result.stdout)
    .map((document) => document.toJSON())
    .filter(Boolean);
}
