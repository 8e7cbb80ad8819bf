import type { Kysely } from 'kysely';
import { ApiError } from '../errors.js';
import type { Database } from '../store/schema.js';
import { defaultFlow, type FlowDefinition, isKnownQueue } from './transitions.js';

/** The scope's registered flow of that name, or the built-in default flow. */
export async function loadFlow(
  db: Kysely<Database>,
  scope: string,
  name: string | null | undefined,
): Promise<FlowDefinition> {
  const flowName = name || 'default';
  const row = await db
    .selectFrom('flows')
    .select(['name', 'states', 'transitions'])
    .where('scope', '=', scope)
    .where('name', '=', flowName)
    .executeTakeFirst();
  if (!row) return defaultFlow(flowName);
  return {
    name: row.name,
    states: JSON.parse(row.states) as string[],
    transitions: JSON.parse(row.transitions) as { from: string; to: string }[],
  };
}

export function assertKnownQueue(queue: string, flow: FlowDefinition, field = 'queue'): void {
  if (!isKnownQueue(queue, flow)) {
    throw ApiError.invalid(
      field,
      `unknown queue ${queue}: flow ${flow.name} has ${[...flow.states].join(', ')}`,
    );
  }
}
