import { z } from '@hono/zod-openapi';
import { ScopeName, Timestamp } from './common.js';
import {
  FAULT_METHODS,
  MAX_CLOCK_ADVANCE_MS,
  MAX_FAULT_BODY_BYTES,
  MAX_FAULT_DELAY_MS,
  MAX_FAULT_PATTERN_LENGTH,
  MAX_FAULT_PATTERN_SIZE,
  pathGlobToRegExp,
} from './constants.js';

export { pathGlobToRegExp };

/**
 * Test mode: routes under `/api/v1/test` that exist only on a server started with `--test-mode`.
 *
 * Glossary:
 * - fault rule: "when a request of this scope matches, answer this status (and body) instead,
 *   after this delay, at most this many times". Rules of a scope are tried in the order added;
 *   the first that matches and fires wins.
 * - scope clock: the time one scope sees; advancing it moves only that scope's leases.
 */

/** The size in bytes of a value as JSON text (UTF-8). */
export const jsonBytes = (value: unknown): number =>
  new TextEncoder().encode(JSON.stringify(value) ?? '').length;

export const FaultRuleCreate = z
  .strictObject({
    scope: ScopeName.optional(),
    method: z.enum(FAULT_METHODS).optional().openapi({ description: 'Any method when omitted' }),
    path: z.string().max(1000).regex(/^\//, 'must start with /').optional().openapi({
      description: 'Glob over the request path: `*` is one segment, `**` any run',
      example: '/api/v1/tasks/*/accept',
    }),
    pathRegex: z
      .string()
      .min(1)
      .max(MAX_FAULT_PATTERN_LENGTH)
      .optional()
      .openapi({
        description:
          'Regular expression tested against the request path, in RE2 syntax (matched in ' +
          'linear time: no back-references or look-around). The server compiles it and ' +
          `refuses one whose program passes ${MAX_FAULT_PATTERN_SIZE} instructions`,
      }),
    status: z.number().int().min(400).max(599).optional().openapi({
      description: 'Status to answer; omitted, the request is delayed and then handled normally',
    }),
    body: z
      .unknown()
      .refine(
        (body) => jsonBytes(body) <= MAX_FAULT_BODY_BYTES,
        `must be at most ${MAX_FAULT_BODY_BYTES} bytes as JSON`,
      )
      .optional()
      .openapi({
        description:
          'Response body: a string is sent as text/plain, anything else as JSON. ' +
          'Default: the usual {error, code, details}',
      }),
    delayMs: z.number().int().min(0).max(MAX_FAULT_DELAY_MS).optional(),
    times: z
      .number()
      .int()
      .min(1)
      .optional()
      .openapi({ description: 'How often the rule fires; unlimited when omitted' }),
    probability: z
      .number()
      .gt(0, 'must be above 0')
      .max(1)
      .optional()
      .openapi({ description: 'Chance that a matching request fires the rule. Default 1' }),
  })
  .superRefine((rule, ctx) => {
    if (rule.status === undefined && rule.delayMs === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['status'],
        message: 'is required unless delayMs is given (a rule must do something)',
      });
    }
    if (rule.path !== undefined && rule.pathRegex !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['pathRegex'],
        message: 'give path or pathRegex, not both',
      });
    }
    if (rule.body !== undefined && rule.status === undefined) {
      ctx.addIssue({ code: 'custom', path: ['body'], message: 'needs a status to answer with' });
    }
  })
  .openapi('FaultRuleCreate');
export type FaultRuleCreate = z.infer<typeof FaultRuleCreate>;
export type FaultRuleInput = z.input<typeof FaultRuleCreate>;

export const FaultRule = z
  .object({
    id: z.string(),
    method: z.enum(FAULT_METHODS).nullable(),
    path: z.string().nullable(),
    pathRegex: z.string().nullable(),
    status: z.number().int().nullable(),
    body: z.unknown().optional(),
    delayMs: z.number().int(),
    times: z.number().int().nullable(),
    probability: z.number(),
    fired: z.number().int().openapi({ description: 'How often the rule has fired so far' }),
  })
  .openapi('FaultRule');
export type FaultRule = z.infer<typeof FaultRule>;

export const FaultRuleList = z.object({ rules: z.array(FaultRule) }).openapi('FaultRuleList');
export type FaultRuleList = z.infer<typeof FaultRuleList>;

export const FaultsCleared = z.object({ cleared: z.number().int() }).openapi('FaultsCleared');
export type FaultsCleared = z.infer<typeof FaultsCleared>;

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(?:\d+(?:ms|s|m|h|d))+$/;

/** `'90s'`, `'10m'`, `'1h30m'`, `'2d'`, `'250ms'` in milliseconds; `undefined` when malformed. */
export function parseDuration(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)(ms|s|m|h|d)/g)) {
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  return total;
}

export const Duration = z
  .union([z.number(), z.string()])
  .transform((value, ctx) => {
    const ms = typeof value === 'number' ? value : parseDuration(value);
    if (ms === undefined || !Number.isInteger(ms) || ms < 0) {
      ctx.addIssue({
        code: 'custom',
        message: "must be whole milliseconds ≥ 0 or a duration like '30s', '10m', '1h30m'",
      });
      return z.NEVER;
    }
    return ms;
  })
  .pipe(z.number().max(MAX_CLOCK_ADVANCE_MS, 'must be at most ten years'))
  .openapi({ description: "Milliseconds, or a duration like '30s', '10m', '1h30m', '2d'" });

export const ClockAdvance = z
  .object({ scope: ScopeName.optional(), advance: Duration })
  .openapi('ClockAdvance');
export type ClockAdvance = z.infer<typeof ClockAdvance>;
export type ClockAdvanceInput = z.input<typeof ClockAdvance>;

export const ScopeClock = z
  .object({
    scope: z.string(),
    now: Timestamp.openapi({ description: 'The time this scope sees' }),
    offsetMs: z
      .number()
      .int()
      .openapi({ description: 'How far the scope runs ahead of real time' }),
  })
  .openapi('ScopeClock');
export type ScopeClock = z.infer<typeof ScopeClock>;

export const ClockAdvanced = ScopeClock.extend({
  expiredLeases: z.number().int().openapi({
    description: 'Claims whose lease ran out in the advanced time and went back to their queue',
  }),
}).openapi('ClockAdvanced');
export type ClockAdvanced = z.infer<typeof ClockAdvanced>;
