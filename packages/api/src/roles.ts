import { z } from '@hono/zod-openapi';
import { MAX_LIST_LENGTH, Timestamp } from './common.js';
import { QueueName } from './tasks.js';

/**
 * Glossary: a role names a kind of agent work in a scope (`implement`, `review`). Once a scope
 * registers roles, its tasks and claims may name only those; a role's `claims_from` is the queue
 * a claim filtered by that role takes work from.
 */
export const RoleName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^\s/?#%\\]+$/, 'must not contain whitespace or / ? # % \\');

export const Role = z
  .object({
    name: z.string(),
    scope: z.string(),
    description: z.string().nullable(),
    claims_from: z.string(),
    orchestrator_id: z.string(),
    created_at: Timestamp,
  })
  .openapi('Role');
export type Role = z.infer<typeof Role>;

export const RoleDefinition = z.object({
  name: RoleName,
  claims_from: QueueName.optional().openapi({ description: "Default 'incoming'" }),
  description: z.string().max(2000).nullish(),
});

export const RoleRegister = z
  .object({
    orchestrator_id: z.string().min(1).max(201),
    roles: z
      .array(RoleDefinition)
      .max(MAX_LIST_LENGTH, `must list at most ${MAX_LIST_LENGTH} roles`)
      .superRefine((roles, ctx) => {
        const seen = new Set<string>();
        roles.forEach((role, index) => {
          if (seen.has(role.name)) {
            ctx.addIssue({ code: 'custom', path: [index, 'name'], message: 'is listed twice' });
          }
          seen.add(role.name);
        });
      }),
  })
  .openapi('RoleRegister');
export type RoleRegister = z.infer<typeof RoleRegister>;
export type RoleRegisterInput = z.input<typeof RoleRegister>;

export const RoleList = z.object({ roles: z.array(Role) }).openapi('RoleList');
export type RoleList = z.infer<typeof RoleList>;
