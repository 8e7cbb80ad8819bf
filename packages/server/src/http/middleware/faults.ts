import { setTimeout as sleep } from 'node:timers/promises';
import type { MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { defaultFaultBody, type FaultRules } from '../../domain/faults.js';
import type { AppEnv } from '../env.js';
import { factsOf } from '../route-facts.js';

/**
 * Applies the request scope's fault rules (test mode only). The test-mode routes and the scope
 * purge are never faulted: they are the kit's own set-up and clean-up, and a fault there would
 * fail the wrong test or leak its scope.
 */
export function faults(rules: FaultRules): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { method, path } = c.req;
    // Requests that name no scope (the scope list) have no rules to apply.
    const scope = c.var.ctx?.scope;
    if (scope === undefined || factsOf(c).faultFree) return next();
    const rule = rules.fire(scope, { method, path });
    if (!rule) return next();
    if (rule.delayMs > 0) await sleep(rule.delayMs);
    if (rule.status === null) return next();
    const status = rule.status as ContentfulStatusCode;
    c.header('x-octopoid-fault', rule.id);
    if (typeof rule.body === 'string') return c.text(rule.body, status);
    return c.json(rule.body ?? defaultFaultBody({ ...rule, status: rule.status }), status);
  };
}
