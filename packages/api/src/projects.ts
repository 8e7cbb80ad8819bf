import { z } from '@hono/zod-openapi';
import {
  EntityId,
  ErrorBody,
  FlagInput,
  Limit,
  Offset,
  PAGE_FIELDS,
  ScopeName,
  Timestamp,
  TimestampInput,
} from './common.js';
import { Task } from './tasks.js';

/** Free text: the Python client writes flow state names here. */
const ProjectStatus = z.string().min(1).max(128);
const Branch = z.string().min(1).max(255);
const PrNumber = z.number().int().min(0).max(2_147_483_647);

export const Project = z
  .object({
    id: z.string(),
    scope: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    status: z.string(),
    branch: z.string().nullable(),
    base_branch: z.string(),
    auto_accept: z.boolean().openapi({ description: 'A boolean on the wire, unlike task flags' }),
    created_by: z.string().nullable(),
    pr_url: z.string().nullable(),
    pr_number: z.number().int().nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
    completed_at: Timestamp.nullable(),
  })
  .openapi('Project');
export type Project = z.infer<typeof Project>;

export const ProjectCreate = z
  .object({
    id: EntityId,
    title: z.string().min(1).max(1000),
    branch: Branch,
    description: z.string().nullish(),
    status: ProjectStatus.nullish().openapi({ description: "Free text; default 'draft'" }),
    base_branch: Branch.nullish().openapi({ description: "Default 'main'" }),
    auto_accept: FlagInput.nullish(),
    created_by: z.string().max(200).nullish(),
    pr_url: z.string().max(2000).nullish(),
    pr_number: PrNumber.nullish(),
  })
  .openapi('ProjectCreate');
export type ProjectCreate = z.infer<typeof ProjectCreate>;

export const ProjectPatch = z
  .object({
    title: z.string().min(1).max(1000),
    description: z.string().nullable(),
    status: ProjectStatus.openapi({ description: '`completed` also fills an empty completed_at' }),
    branch: Branch.nullable(),
    base_branch: Branch,
    auto_accept: FlagInput,
    completed_at: TimestampInput.nullable(),
    pr_url: z.string().max(2000).nullable(),
    pr_number: PrNumber.nullable(),
  })
  .partial()
  .openapi('ProjectPatch');
export type ProjectPatch = z.infer<typeof ProjectPatch>;

export const ProjectListQuery = z.object({
  scope: ScopeName.optional(),
  status: z.string().optional(),
  created_by: z.string().optional(),
  limit: Limit,
  offset: Offset,
});
export type ProjectListQuery = z.infer<typeof ProjectListQuery>;

export const ProjectList = z
  .object({
    projects: z.array(Project),
    ...PAGE_FIELDS,
  })
  .openapi('ProjectList');
export type ProjectList = z.infer<typeof ProjectList>;

/** The project's tasks come in pages like every list; the default page holds the most allowed. */
export const ProjectTasksQuery = z.object({
  scope: ScopeName.optional(),
  limit: Limit.unwrap().default(500),
  offset: Offset,
});
export type ProjectTasksQuery = z.infer<typeof ProjectTasksQuery>;

export const ProjectTasks = z
  .object({
    project_id: z.string(),
    tasks: z.array(Task),
    ...PAGE_FIELDS,
  })
  .openapi('ProjectTasks');
export type ProjectTasks = z.infer<typeof ProjectTasks>;

export const ProjectDeleted = z
  .object({ message: z.string(), project_id: z.string() })
  .openapi('ProjectDeleted');
export type ProjectDeleted = z.infer<typeof ProjectDeleted>;

/** The v1 API adds a `hint` to the 409 of a delete refused while tasks reference the project. */
export const ProjectInUse = ErrorBody.extend({ hint: z.string() }).openapi('ProjectInUse');
export type ProjectInUse = z.infer<typeof ProjectInUse>;

export type ProjectCreateInput = z.input<typeof ProjectCreate>;
export type ProjectPatchInput = z.input<typeof ProjectPatch>;
