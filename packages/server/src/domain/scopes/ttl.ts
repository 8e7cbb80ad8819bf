import { scopeNames } from '../../store/scopes.js';
import { forgetScope, type Services } from '../context.js';
import { emptyScope } from './purge.js';
import { scopeSummary } from './summary.js';

/** Scope names the sweep reads at a time. */
const SWEEP_PAGE = 500;

/** Scopes whose name matches `pattern` (`*` stands for any run of characters) live `ttlMs`. */
export interface ScopeTtlRule {
  pattern: string;
  ttlMs: number;
}

function matcher(pattern: string): (scope: string) => boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const regex = new RegExp(`^${source}$`);
  return (scope) => regex.test(scope);
}

/**
 * Purges the scope when it has seen no activity for `ttlMs` on its own clock, re-reading its
 * activity in the purge's transaction so a write that lands meanwhile keeps it.
 */
async function purgeIfInactive(services: Services, scope: string, ttlMs: number) {
  const inactive = await services.store.transaction(async (tx) => {
    const summary = await scopeSummary(tx, scope);
    const idleMs = summary
      ? services.clocks.now(scope).getTime() - Date.parse(summary.last_activity_at)
      : 0;
    if (idleMs < ttlMs) return false;
    await emptyScope(tx, scope);
    return true;
  });
  if (inactive) forgetScope(services, scope);
  return inactive;
}

/**
 * Purges every scope that matches a rule (the first matching rule applies) and has seen no
 * activity for its time-to-live, measured on the scope's own clock. Each purge re-reads the
 * scope's activity in its own transaction, so a write that lands meanwhile keeps the scope.
 */
export async function purgeInactiveScopes(
  services: Services,
  rules: readonly ScopeTtlRule[],
): Promise<string[]> {
  const compiled = rules.map((rule) => ({ matches: matcher(rule.pattern), ttlMs: rule.ttlMs }));
  const purged: string[] = [];
  for (let offset = 0; ; ) {
    const { names } = await scopeNames(services.store.db, { limit: SWEEP_PAGE, offset });
    let kept = 0;
    for (const scope of names) {
      const rule = compiled.find((r) => r.matches(scope));
      if (rule && (await purgeIfInactive(services, scope, rule.ttlMs))) {
        purged.push(scope);
      } else {
        kept++;
      }
    }
    if (names.length < SWEEP_PAGE) return purged;
    // The purged scopes left the list: the next page starts after the ones kept.
    offset += kept;
  }
}
