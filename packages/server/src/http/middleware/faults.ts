import { setTimeout as sleep } from 'node:timers/promises';
import type { ErrorBody } from '@octopoid/api';
import type { MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { defaultFaultBody, type FaultRules } from '../../domain/faults.js';
import type { AppEnv } from '../env.js';
import { factsOf } from '../route-facts.js';

function cutOffBody(ruleId: string): ErrorBody {
  return {
    error: `the request was cut off while test-mode rule ${ruleId} held it`,
    code: 'service_unavailable',
    details: [{ field: 'fault', reason: 'the client went away while the request was held' }],
  };
}

/**
 * Applies the request scope's fault rules (test mode only). A delay is cut short when the client
 * disconnects (the request is dropped, nothing done) or the server closes (the request goes on). The test-mode routes and the scope
 * purge are never faulted: they are the kit's own set-up and clean-up, and a fault there would
 * fail the wrong test or leak its scope.
 */
export function faults(rules: FaultRules): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { method, path } = c.req;
    // Requests that name no scope (the scope list) have no rules to apply.
    const scope = c.get('ctx')?.scope;
    if (scope === undefined || factsOf(c).faultFree) return next();
    const rule = rules.fire(scope, { method, path });
    if (!rule) return next();
    if (rule.delayMs > 0) {
      // The hold ends early when the client goes away (the request is then dropped: no one waits
      // for it, and it must not act after its test has cleaned up) or when the server closes
      // (the request then goes on, as a graceful close lets in-flight requests finish).
      const signal = AbortSignal.any([c.req.raw.signal, rules.closing]);
      await sleep(rule.delayMs, undefined, { signal }).catch(() => undefined);
      if (c.req.raw.signal.aborted) return c.json(cutOffBody(rule.id), 503);
    }
    if (rule.status === null) return next();
    const status = rule.status as ContentfulStatusCode;
    c.header('x-octopoid-fault', rule.id);
    if (typeof rule.body === 'string') return c.text(rule.body, status);
    return c.json(rule.body ?? defaultFaultBody({ ...rule, status: rule.status }), status);
  };
}
