import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import {
  Project,
  ProjectCreate,
  ProjectDeleted,
  ProjectInUse,
  ProjectList,
  ProjectListQuery,
  ProjectPatch,
  ProjectTasks,
  ProjectTasksQuery,
  type Task,
} from '@octopoid/api';
import { createProject } from '../../domain/projects/create.js';
import { getProject, getProjectTasks, listProjects } from '../../domain/projects/read.js';
import { ProjectInUseError, removeProject } from '../../domain/projects/remove.js';
import { patchProject } from '../../domain/projects/update.js';
import { toProject } from '../../domain/projects/wire.js';
import type { AppEnv } from '../env.js';
import { errorBody } from '../error-response.js';
import { errors, jsonBody, ok } from '../openapi.js';
import { routeFacts } from '../route-facts.js';

const addressesProject = routeFacts({ addresses: { entity: 'projects', param: 'id' } });

const tags = ['projects'];
const ProjectId = z.object({
  id: z
    .string()
    .min(1)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

const routes = {
  list: createRoute({
    method: 'get',
    path: '/projects',
    tags,
    summary: 'List the scope’s projects, newest first',
    request: { query: ProjectListQuery },
    responses: { 200: ok(ProjectList, 'A page of projects'), ...errors() },
  }),
  create: createRoute({
    method: 'post',
    path: '/projects',
    tags,
    summary: 'Create a project',
    request: { body: jsonBody(ProjectCreate) },
    responses: { 201: ok(Project, 'The created project'), ...errors(409, 413, 415) },
  }),
  get: createRoute({
    method: 'get',
    path: '/projects/{id}',
    middleware: addressesProject,
    tags,
    summary: 'Get a project',
    request: { params: ProjectId },
    responses: { 200: ok(Project, 'The project'), ...errors(404) },
  }),
  tasks: createRoute({
    method: 'get',
    path: '/projects/{id}/tasks',
    middleware: addressesProject,
    tags,
    summary: 'The project’s tasks in this scope, highest priority first, then oldest',
    request: { params: ProjectId, query: ProjectTasksQuery },
    responses: { 200: ok(ProjectTasks, 'A page of the project’s tasks'), ...errors(404) },
  }),
  update: createRoute({
    method: 'patch',
    path: '/projects/{id}',
    middleware: addressesProject,
    tags,
    summary: 'Edit a project',
    request: { params: ProjectId, body: jsonBody(ProjectPatch) },
    responses: { 200: ok(Project, 'The updated project'), ...errors(404) },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/projects/{id}',
    middleware: addressesProject,
    tags,
    summary: 'Delete a project no task refers to',
    request: { params: ProjectId },
    responses: {
      200: ok(ProjectDeleted, 'Deleted'),
      ...errors(404),
      409: ok(ProjectInUse, 'Tasks of the scope still refer to the project'),
    },
  }),
};

export function projectRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(routes.list, async (c) => {
    const query = c.req.valid('query');
    const { rows, total, limit } = await listProjects(c.get('ctx'), query);
    return c.json({ projects: rows.map(toProject), total, offset: query.offset, limit }, 200);
  });

  app.openapi(routes.create, async (c) =>
    c.json(toProject(await createProject(c.get('ctx'), c.req.valid('json'))), 201),
  );

  app.openapi(routes.get, async (c) =>
    c.json(toProject(await getProject(c.get('ctx'), c.req.valid('param').id)), 200),
  );

  app.openapi(routes.tasks, async (c) => {
    const { id } = c.req.valid('param');
    const page = c.req.valid('query');
    const { tasks, total, limit } = await getProjectTasks(c.get('ctx'), id, page);
    return c.json(
      { project_id: id, tasks: tasks as Task[], total, offset: page.offset, limit },
      200,
    );
  });

  app.openapi(routes.update, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(toProject(await patchProject(c.get('ctx'), id, c.req.valid('json'))), 200);
  });

  app.openapi(routes.remove, async (c) => {
    const { id } = c.req.valid('param');
    try {
      await removeProject(c.get('ctx'), id);
    } catch (error) {
      if (!(error instanceof ProjectInUseError)) throw error;
      return c.json({ ...errorBody(error), hint: error.hint }, 409);
    }
    return c.json({ message: `project ${id} deleted`, project_id: id }, 200);
  });

  return app;
}
