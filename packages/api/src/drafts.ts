import { z } from '@hono/zod-openapi';
import { jsonTextInput, Limit, Offset, PAGE_FIELDS, ScopeName, Timestamp } from './common.js';
import { MAX_INT, MAX_LIST_LENGTH } from './constants.js';

/** Free text (idea/draft/review/approved/implemented/archived expected); the client writes its own. */
const DraftStatus = z.string().min(1).max(128);
const Tags = jsonTextInput(z.array(z.string()).max(MAX_LIST_LENGTH), 'an array of strings');
const Reference = z.string().max(200).nullable();

export const Draft = z
  .object({
    id: z.number().int(),
    scope: z.string(),
    title: z.string(),
    author: z.string(),
    status: z.string(),
    domain: z.string().nullable(),
    file_path: z.string().nullable(),
    linked_task_id: z.string().nullable(),
    linked_project_id: z.string().nullable(),
    tags: z.string().nullable().openapi({ description: 'JSON array of strings as text' }),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('Draft');
export type Draft = z.infer<typeof Draft>;

const editable = {
  title: z.string().min(1).max(1000),
  author: z.string().min(1).max(200),
  status: DraftStatus,
  domain: z.string().max(200).nullable(),
  file_path: z.string().max(1024).nullable(),
  linked_task_id: Reference,
  linked_project_id: Reference,
  tags: Tags.nullable(),
};

/** Title and author are required; the rest may be left out. Status defaults to 'idea'. */
export const DraftCreate = z
  .object(editable)
  .partial()
  .required({ title: true, author: true })
  .extend({ status: DraftStatus.nullish().openapi({ description: "Default 'idea'" }) })
  .openapi('DraftCreate');
export type DraftCreate = z.infer<typeof DraftCreate>;

export const DraftPatch = z.object(editable).partial().openapi('DraftPatch');
export type DraftPatch = z.infer<typeof DraftPatch>;

/** Draft ids are whole numbers in the path; anything else (`12abc`, `1.5`, `-1`) is refused. */
export const DraftId = z
  .string()
  .regex(/^[0-9]{1,10}$/, 'must be a whole number')
  .transform(Number)
  .pipe(z.number().max(MAX_INT, `must be at most ${MAX_INT}`));

export const DraftListQuery = z.object({
  scope: ScopeName.optional(),
  status: z.string().optional(),
  author: z.string().optional(),
  domain: z.string().optional(),
  linked_task_id: z.string().optional(),
  linked_project_id: z.string().optional(),
  limit: Limit,
  offset: Offset,
});
export type DraftListQuery = z.infer<typeof DraftListQuery>;

export const DraftList = z
  .object({
    drafts: z.array(Draft),
    ...PAGE_FIELDS,
  })
  .openapi('DraftList');
export type DraftList = z.infer<typeof DraftList>;

export const DraftDeleted = z
  .object({ message: z.string(), draft_id: z.number().int() })
  .openapi('DraftDeleted');
export type DraftDeleted = z.infer<typeof DraftDeleted>;

export type DraftCreateInput = z.input<typeof DraftCreate>;
export type DraftPatchInput = z.input<typeof DraftPatch>;
