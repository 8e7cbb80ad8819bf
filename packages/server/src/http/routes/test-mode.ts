import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import {
  ClockAdvance,
  ClockAdvanced,
  FaultRule,
  FaultRuleCreate,
  FaultRuleList,
  FaultsCleared,
  ScopeClock,
} from '@octopoid/api';
import type { ScopeContext } from '../../domain/context.js';
import type { FaultRules } from '../../domain/faults.js';
import { expireScopeLeases } from '../../domain/tasks/lease.js';
import type { AppEnv } from '../env.js';
import { errors, jsonBody, ok } from '../openapi.js';
import { routeFacts } from '../route-facts.js';

const faultFree = routeFacts({ faultFree: true });

const tags = ['test mode'];

const routes = {
  addFault: createRoute({
    method: 'post',
    path: '/test/faults',
    middleware: faultFree,
    tags,
    summary: 'Add a fault rule to the scope (tried after the rules added before it)',
    request: { body: jsonBody(FaultRuleCreate) },
    responses: { 201: ok(FaultRule, 'The rule, with its id'), ...errors() },
  }),
  listFaults: createRoute({
    method: 'get',
    path: '/test/faults',
    middleware: faultFree,
    tags,
    summary: 'The scope’s fault rules in match order, with how often each fired',
    responses: { 200: ok(FaultRuleList, 'The rules'), ...errors() },
  }),
  clearFaults: createRoute({
    method: 'delete',
    path: '/test/faults',
    middleware: faultFree,
    tags,
    summary: 'Remove every fault rule of the scope',
    responses: { 200: ok(FaultsCleared, 'How many rules were removed'), ...errors() },
  }),
  advanceClock: createRoute({
    method: 'post',
    path: '/test/clock',
    middleware: faultFree,
    tags,
    summary: 'Move the scope’s clock forward and expire the leases that ran out meanwhile',
    request: { body: jsonBody(ClockAdvance) },
    responses: { 200: ok(ClockAdvanced, 'The scope’s time after the move'), ...errors() },
  }),
  readClock: createRoute({
    method: 'get',
    path: '/test/clock',
    middleware: faultFree,
    tags,
    summary: 'The scope’s current time and its offset from real time',
    responses: { 200: ok(ScopeClock, 'The scope’s time'), ...errors() },
  }),
  resetClock: createRoute({
    method: 'delete',
    path: '/test/clock',
    middleware: faultFree,
    tags,
    summary: 'Put the scope back on real time',
    responses: { 200: ok(ScopeClock, 'The scope’s time'), ...errors() },
  }),
};

const clockOf = ({ clocks, scope }: ScopeContext) => ({
  scope,
  now: clocks.nowIso(scope),
  offsetMs: clocks.offsetOf(scope),
});

/** `/api/v1/test/*`: fault rules and clocks of the request's scope. Mounted only in test mode. */
export function testModeRoutes(faultRules: FaultRules) {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(routes.addFault, (c) =>
    c.json(faultRules.add(c.get('ctx').scope, c.req.valid('json')), 201),
  );
  app.openapi(routes.listFaults, (c) =>
    c.json({ rules: faultRules.list(c.get('ctx').scope) }, 200),
  );
  app.openapi(routes.clearFaults, (c) =>
    c.json({ cleared: faultRules.clear(c.get('ctx').scope) }, 200),
  );

  app.openapi(routes.advanceClock, async (c) => {
    const ctx = c.get('ctx');
    ctx.clocks.advance(ctx.scope, c.req.valid('json').advance);
    // What the background sweep would have done during the skipped time, done now, so a test
    // sees the expiry as soon as the advance returns.
    const now = ctx.clocks.nowIso(ctx.scope);
    const expiredLeases = await ctx.store.transaction((tx) => expireScopeLeases(ctx, tx, now));
    return c.json({ ...clockOf(ctx), expiredLeases }, 200);
  });
  app.openapi(routes.readClock, (c) => c.json(clockOf(c.get('ctx')), 200));
  app.openapi(routes.resetClock, (c) => {
    c.get('ctx').clocks.reset(c.get('ctx').scope);
    return c.json(clockOf(c.get('ctx')), 200);
  });

  return app;
}
