import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import {
  CLAIM_OUTCOME_HEADER,
  HookComplete,
  Task,
  TaskAccept,
  TaskClaim,
  TaskCreate,
  TaskDeleted,
  TaskForceQueue,
  TaskHistory,
  TaskHistoryQuery,
  TaskLeaseRenew,
  TaskList,
  TaskListQuery,
  TaskPatch,
  TaskReject,
  TaskRequeue,
  TaskSubmit,
} from '@octopoid/api';
import { claimTask, claimTaskWaiting } from '../../domain/tasks/claim.js';
import { claimTaskOnce, idempotencyKey } from '../../domain/tasks/claim-replays.js';
import { createTask } from '../../domain/tasks/create.js';
import { forceQueue } from '../../domain/tasks/force-queue.js';
import { completeHook } from '../../domain/tasks/hooks.js';
import { renewLease } from '../../domain/tasks/lease.js';
import { getTask, getTaskHistory, listTasks } from '../../domain/tasks/read.js';
import { removeTask } from '../../domain/tasks/remove.js';
import { acceptTask, rejectTask, requeueTask } from '../../domain/tasks/review.js';
import { submitTask } from '../../domain/tasks/submit.js';
import { patchTask } from '../../domain/tasks/update.js';
import { toHistoryEntry, toTask } from '../../domain/tasks/wire.js';
import { ApiError } from '../../errors.js';
import type { AppEnv } from '../env.js';
import { errors, jsonBody, ok } from '../openapi.js';
import { routeFacts } from '../route-facts.js';

const addressesTask = routeFacts({ addresses: { entity: 'tasks', param: 'id' } });

const TaskId = z.object({
  id: z
    .string()
    .min(1)
    .openapi({ param: { name: 'id', in: 'path' } }),
});
const tags = ['tasks'];

const transition = (path: string, body: z.ZodType, summary: string, required = true) =>
  createRoute({
    method: 'post',
    path: `/tasks/{id}/${path}`,
    middleware: addressesTask,
    tags,
    summary,
    request: { params: TaskId, body: jsonBody(body, required) },
    responses: { 200: ok(Task, 'The task after the transition'), ...errors(404, 409) },
  });

const routes = {
  list: createRoute({
    method: 'get',
    path: '/tasks',
    tags,
    summary: 'List the scope’s tasks',
    request: { query: TaskListQuery },
    responses: { 200: ok(TaskList, 'A page of tasks'), ...errors() },
  }),
  create: createRoute({
    method: 'post',
    path: '/tasks',
    tags,
    summary: 'Create a task',
    request: { body: jsonBody(TaskCreate) },
    responses: { 201: ok(Task, 'The created task'), ...errors(409, 413, 415) },
  }),
  claim: createRoute({
    method: 'post',
    path: '/tasks/claim',
    tags,
    summary: 'Claim the next task atomically, waiting up to `wait_seconds` for one',
    request: { body: jsonBody(TaskClaim) },
    responses: { 200: ok(Task, 'The claimed task'), ...errors(404, 422, 429) },
  }),
  get: createRoute({
    method: 'get',
    path: '/tasks/{id}',
    middleware: addressesTask,
    tags,
    summary: 'Get a task',
    request: { params: TaskId },
    responses: { 200: ok(Task, 'The task'), ...errors(404) },
  }),
  update: createRoute({
    method: 'patch',
    path: '/tasks/{id}',
    middleware: addressesTask,
    tags,
    summary: 'Edit a task directly',
    request: { params: TaskId, body: jsonBody(TaskPatch) },
    responses: { 200: ok(Task, 'The updated task'), ...errors(404, 409) },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/tasks/{id}',
    middleware: addressesTask,
    tags,
    summary: 'Delete a task and its history',
    request: { params: TaskId },
    responses: { 200: ok(TaskDeleted, 'Deleted'), ...errors(404) },
  }),
  history: createRoute({
    method: 'get',
    path: '/tasks/{id}/history',
    middleware: addressesTask,
    tags,
    summary: 'A task’s history, oldest first',
    request: { params: TaskId, query: TaskHistoryQuery },
    responses: {
      200: ok(TaskHistory, 'A page of the history (all of it, up to 500 entries)'),
      ...errors(404),
    },
  }),
  submit: transition('submit', TaskSubmit, 'Submit claimed work for review'),
  accept: transition('accept', TaskAccept, 'Accept a task (done)', false),
  reject: transition('reject', TaskReject, 'Reject a task back to incoming'),
  requeue: transition('requeue', TaskRequeue, 'Return a task to incoming', false),
  forceQueue: transition('force-queue', TaskForceQueue, 'Move a task to any queue'),
  lease: transition('lease', TaskLeaseRenew, 'Renew the claimant’s lease', false),
  hook: createRoute({
    method: 'post',
    path: '/tasks/{id}/hooks/{hookName}/complete',
    middleware: addressesTask,
    tags,
    summary: 'Record a hook’s outcome',
    request: {
      params: TaskId.extend({
        hookName: z
          .string()
          .min(1)
          .openapi({ param: { name: 'hookName', in: 'path' } }),
      }),
      body: jsonBody(HookComplete),
    },
    responses: { 200: ok(Task, 'The task'), ...errors(404) },
  }),
};

export function taskRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(routes.list, async (c) => {
    const query = c.req.valid('query');
    const { tasks, total, limit, next_cursor } = await listTasks(c.get('ctx'), query);
    // With `fields` or `omit` the tasks are partial, as the schema's description says.
    return c.json({ tasks: tasks as Task[], total, offset: query.offset, limit, next_cursor }, 200);
  });

  app.openapi(routes.create, async (c) =>
    c.json(toTask(await createTask(c.get('ctx'), c.req.valid('json'))), 201),
  );

  app.openapi(routes.claim, async (c) => {
    const ctx = c.get('ctx');
    const input = c.req.valid('json');
    const key = idempotencyKey(c.req.header('idempotency-key'));
    const claim = () => (key ? claimTaskOnce(ctx, input, key) : claimTask(ctx, input));
    // Only a waiting claim needs to see the client leave; the signal builds the full `Request`.
    const signal = input.wait_seconds ? c.req.raw.signal : undefined;
    const outcome = await claimTaskWaiting(ctx, input, claim, signal);
    if (outcome.claimed) return c.json(toTask(outcome.claimed), 200);
    // Tells the claim's own "nothing to do" apart from a 404/429 of a proxy or a wrong path.
    c.header(CLAIM_OUTCOME_HEADER, outcome.reason);
    throw outcome.reason === 'at_limit'
      ? new ApiError('too_many_claimed', 'the orchestrator holds max_claimed tasks already')
      : new ApiError('not_found', 'no claimable task in this scope');
  });

  app.openapi(routes.get, async (c) =>
    c.json(toTask(await getTask(c.get('ctx'), c.req.valid('param').id)), 200),
  );

  app.openapi(routes.update, async (c) =>
    c.json(
      toTask(await patchTask(c.get('ctx'), c.req.valid('param').id, c.req.valid('json'))),
      200,
    ),
  );

  app.openapi(routes.remove, async (c) => {
    const { id } = c.req.valid('param');
    await removeTask(c.get('ctx'), id);
    return c.json({ message: `task ${id} deleted`, task_id: id }, 200);
  });

  app.openapi(routes.history, async (c) => {
    const { id } = c.req.valid('param');
    const query = c.req.valid('query');
    const { rows, total, limit } = await getTaskHistory(c.get('ctx'), id, query);
    return c.json(
      { task_id: id, history: rows.map(toHistoryEntry), total, offset: query.offset, limit },
      200,
    );
  });

  const transitions = [
    [routes.submit, submitTask],
    [routes.accept, acceptTask],
    [routes.reject, rejectTask],
    [routes.requeue, requeueTask],
    [routes.forceQueue, forceQueue],
    [routes.lease, renewLease],
  ] as const;
  for (const [route, apply] of transitions) {
    app.openapi(route, async (c) => {
      const id = c.req.valid('param').id;
      const body = c.req.valid('json') as never;
      return c.json(toTask(await apply(c.get('ctx'), id, body)), 200);
    });
  }

  app.openapi(routes.hook, async (c) => {
    const { id, hookName } = c.req.valid('param');
    return c.json(toTask(await completeHook(c.get('ctx'), id, hookName, c.req.valid('json'))), 200);
  });

  return app;
}
