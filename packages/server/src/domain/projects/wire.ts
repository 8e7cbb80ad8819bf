import type { Project } from '@octopoid/api';
import type { ProjectRow } from '../../store/projects.js';

/** Projects, unlike tasks, carry `auto_accept` as a boolean on the wire (v1 API). */
export function toProject(row: ProjectRow): Project {
  return { ...row, auto_accept: row.auto_accept === 1 };
}
