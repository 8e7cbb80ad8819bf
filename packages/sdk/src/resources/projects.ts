import type {
  Project,
  ProjectCreateInput,
  ProjectDeleted,
  ProjectList,
  ProjectListQuery,
  ProjectPatchInput,
  ProjectTasks,
  ProjectTasksQuery,
} from '@octopoid/api';
import type { CallOptions, Transport } from '../transport.js';

/** Filters of `GET /projects`; the transport adds the client's scope. */
export type ProjectListFilters = Partial<Omit<ProjectListQuery, 'scope'>>;
export type ProjectTasksPage = Partial<Omit<ProjectTasksQuery, 'scope'>>;

const path = (id: string, suffix = '') => `/api/v1/projects/${encodeURIComponent(id)}${suffix}`;

/** Projects of the client's scope. */
export class ProjectsResource {
  constructor(private readonly transport: Transport) {}

  /** One page of projects, newest first, with its total. */
  page(filters: ProjectListFilters = {}, options?: CallOptions): Promise<ProjectList> {
    return this.transport.request('GET', '/api/v1/projects', {
      signal: options?.signal,
      query: { ...filters },
    });
  }

  /** The projects of one page, without the paging envelope. */
  async list(filters: ProjectListFilters = {}, options?: CallOptions): Promise<Project[]> {
    return (await this.page(filters, options)).projects;
  }

  /** The project, or `null` when the scope has no project with that id. */
  get(id: string, options?: CallOptions): Promise<Project | null> {
    return this.transport.request('GET', path(id), { signal: options?.signal, nullOn: [404] });
  }

  create(body: ProjectCreateInput, options?: CallOptions): Promise<Project> {
    return this.transport.request('POST', '/api/v1/projects', { signal: options?.signal, body });
  }

  update(id: string, patch: ProjectPatchInput, options?: CallOptions): Promise<Project> {
    return this.transport.request('PATCH', path(id), { signal: options?.signal, body: patch });
  }

  /** Throws a 409 `OctopoidError` while tasks of the scope refer to the project. */
  delete(id: string, options?: CallOptions): Promise<ProjectDeleted> {
    return this.transport.request('DELETE', path(id), {
      signal: options?.signal,
      alreadyDeleted: () => ({ message: `project ${id} deleted`, project_id: id }),
    });
  }

  /** The project's tasks, highest priority first, then oldest. */
  tasks(id: string, page: ProjectTasksPage = {}, options?: CallOptions): Promise<ProjectTasks> {
    return this.transport.request('GET', path(id, '/tasks'), {
      signal: options?.signal,
      query: { ...page },
    });
  }
}
