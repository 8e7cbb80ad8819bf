import { z } from '@hono/zod-openapi';
import { PAGE_FIELDS, ScopeName, Timestamp, WholeListPage } from './common.js';
import { MAX_LIST_LENGTH } from './constants.js';
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
  claims_from: QueueName.nullish().openapi({ description: "Default 'incoming'" }),
  description: z.string().max(2000).nullish(),
});

const isNameless = (entry: unknown) =>
  typeof entry === 'object' &&
  entry !== null &&
  !(entry as { name?: unknown }).name &&
  !Array.isArray(entry);

/**
 * As in the v1 API, entries without a name are skipped and a role listed twice takes its last
 * definition (v1 replaced role by role). Skipped entries keep their index, so errors name the
 * entry as sent.
 */
const RoleDefinitions = z
  .preprocess(
    (roles) =>
      Array.isArray(roles) ? roles.map((entry) => (isNameless(entry) ? null : entry)) : roles,
    z
      .array(RoleDefinition.nullable())
      .max(MAX_LIST_LENGTH, `must list at most ${MAX_LIST_LENGTH} roles`),
  )
  .transform((roles) => [
    ...new Map(roles.flatMap((role) => (role ? [[role.name, role] as const] : []))).values(),
  ]);

export const RoleRegister = z
  .object({
    orchestrator_id: z.string().min(1).max(201),
    roles: RoleDefinitions,
  })
  .openapi('RoleRegister');
export type RoleRegister = z.infer<typeof RoleRegister>;
export type RoleRegisterInput = z.input<typeof RoleRegister>;

/** The roles a registration left its orchestrator with, by name. */
export const RolesRegistered = z.object({ roles: z.array(Role) }).openapi('RolesRegistered');
export type RolesRegistered = z.infer<typeof RolesRegistered>;

export const RoleListQuery = WholeListPage.extend({ scope: ScopeName.optional() });
export type RoleListQuery = z.infer<typeof RoleListQuery>;

export const RoleList = z
  .object({
    roles: z.array(Role),
    ...PAGE_FIELDS,
  })
  .openapi('RoleList');
export type RoleList = z.infer<typeof RoleList>;
