import { parseDuration } from '@octopoid/api';
import type { ScopeTtlRule } from './domain/scopes/ttl.js';

export type { ScopeTtlRule } from './domain/scopes/ttl.js';

/** Scope-name characters, plus `*` for any run of them. */
const PATTERN = /^[A-Za-z0-9._:*-]{1,128}$/;

/** `PATTERN=DURATION`, as the CLI's `--scope-ttl` takes it: `test-*=24h`. */
export function parseScopeTtl(spec: string): ScopeTtlRule {
  const cut = spec.lastIndexOf('=');
  if (cut < 0)
    throw new TypeError(`invalid scope TTL ${JSON.stringify(spec)}: use PATTERN=DURATION`);
  const duration = spec.slice(cut + 1);
  const ttlMs = parseDuration(duration);
  if (!ttlMs) {
    throw new TypeError(`invalid duration ${JSON.stringify(duration)}: use e.g. 90s, 30m, 24h, 7d`);
  }
  return validScopeTtl({ pattern: spec.slice(0, cut), ttlMs });
}

/** Checks one rule of the `scopeTtl` server option. */
export function validScopeTtl(rule: ScopeTtlRule): ScopeTtlRule {
  if (typeof rule.pattern !== 'string' || !PATTERN.test(rule.pattern)) {
    throw new TypeError(
      `invalid scope TTL pattern ${JSON.stringify(rule.pattern)}: use scope-name characters and *`,
    );
  }
  if (!Number.isSafeInteger(rule.ttlMs) || rule.ttlMs <= 0) {
    throw new TypeError(`invalid scope TTL for ${rule.pattern}: ttlMs must be a positive integer`);
  }
  return rule;
}
