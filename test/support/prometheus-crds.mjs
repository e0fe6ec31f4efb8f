// The Prometheus Operator's own CustomResourceDefinitions, so that a real kube-apiserver validates the
// chart's ServiceMonitor and PrometheusRule against their schemas. They ship in the operator's Go
// module (example/prometheus-operator-crd), which the module proxy serves and Go caches.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { goCommand } from './go-tools.mjs';

const MODULE = 'github.com/prometheus-operator/prometheus-operator@v0.85.0';

/** The CRDs of the given kinds' plural names (`servicemonitors`, `prometheusrules`), as objects. */
export function prometheusOperatorCrds(plurals) {
  let dir;
  try {
    dir = JSON.parse(
      execFileSync(goCommand(), ['mod', 'download', '-json', MODULE], { encoding: 'utf8', cwd: '/' }),
    ).Dir;
  } catch (error) {
    throw new Error(`cannot download ${MODULE} from the Go module proxy: ${error.message}`, { cause: error });
  }
  return plurals.map((plural) =>
    parse(
      readFileSync(
        join(dir, 'example', 'prometheus-operator-crd', `monitoring.coreos.com_${plural}.yaml`),
        'utf8',
      ),
    ),
  );
}
