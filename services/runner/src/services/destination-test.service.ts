import { Injectable } from '@nestjs/common';
import { CATALOG } from '@cairn/contracts';
import { EngineRepository } from '../repositories/engine.repository.js';
import { NatsRepository } from '../repositories/nats.repository.js';
import { destinationWords } from '../utils/destination-words.js';
import { describeError } from '../utils/errors.js';

export interface DestinationTestResult {
  ok: boolean;
  message: string;
  latencyMs: number;
  /** The SSH host key that stopped the test, for the person to trust (SHA256:…). */
  hostKey?: string;
}

/** The "Test" button of a destination: can this runner reach it, with these credentials, and how fast. */
@Injectable()
export class DestinationTestService {
  constructor(
    private readonly engine: EngineRepository,
    private readonly nats: NatsRepository,
  ) {}

  /** A saved destination: its secrets come from the catalog to the runner and go no further. */
  async testSaved(id: string): Promise<DestinationTestResult> {
    const { url, options, secrets } = await this.nats.request(CATALOG.destinations.resolve, { id });
    return this.test(url, options, secrets);
  }

  async test(
    url: string,
    options: Record<string, string>,
    secrets: Record<string, string> = {},
  ): Promise<DestinationTestResult> {
    try {
      const probe = await this.engine.probe(url, options, secrets);
      const latencyMs = Math.round(probe.latencyMs * 10) / 10;
      if (probe.problems.length > 0) return { ok: false, message: probe.problems.join('; '), latencyMs };
      return {
        ok: true,
        message: probe.holdsRepository
          ? 'reachable, and it already holds a repository (only read, nothing written)'
          : 'wrote, listed, read back and removed a test file',
        latencyMs,
      };
    } catch (error) {
      const hostKey = destinationWords(error)?.hostKey;
      return { ok: false, message: describeError(error), latencyMs: 0, ...(hostKey ? { hostKey } : {}) };
    }
  }
}
