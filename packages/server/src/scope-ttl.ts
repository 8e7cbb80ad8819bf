import type { ScopeTtlRule } from './domain/scopes/ttl.js';

export type { ScopeTtlRule } from './domain/scopes/ttl.js';

const DURATION = /^([0-9]+)(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Scope-name characters, plus `*` for any run of them. */
const PATTERN = /^[A-Za-z0-9._:*-]{1,128}$/;

/** `90s`, `30m`, `24h`, `7d` or `500ms` in milliseconds. */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text.trim());
  const ms = match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : 0;
  if (!(ms > 0)) {
    throw new TypeError(`invalid duration ${JSON.stringify(text)}: use e.g. 90s, 30m, 24h, 7d`);
  }
  return ms;
}

/** `PATTERN=DURATION`, as the CLI's `--scope-ttl` takes it: `test-*=24h`. */
export function parseScopeTtl(spec: string): ScopeTtlRule {
  const cut = spec.lastIndexOf('=');
  if (cut < 0) throw new TypeError(`invalid scope TTL ${JSON.stringify(spec)}: use PATTERN=DURATION`);
  return validScopeTtl({ pattern: spec.slice(0, cut), ttlMs: parseDuration(spec.slice(cut + 1)) });
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
