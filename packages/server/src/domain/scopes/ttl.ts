import { forgetScope, type Services } from '../context.js';
import { emptyScope } from './purge.js';
import { listScopes, scopeSummary } from './summary.js';

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
  for (const { scope } of await listScopes(services)) {
    const rule = compiled.find((r) => r.matches(scope));
    if (!rule) continue;
    const inactive = await services.store.transaction(async (tx) => {
      const summary = await scopeSummary(tx, scope);
      const idleMs = summary
        ? services.clocks.now(scope).getTime() - Date.parse(summary.last_activity_at)
        : 0;
      if (idleMs < rule.ttlMs) return false;
      await emptyScope(tx, scope);
      return true;
    });
    if (inactive) {
      forgetScope(services, scope);
      purged.push(scope);
    }
  }
  return purged;
}
