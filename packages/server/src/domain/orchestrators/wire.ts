import type { Orchestrator } from '@octopoid/api';
import type { OrchestratorRow } from '../../store/orchestrators.js';

/** Rows are already in wire shape; `status` only ever holds values validated on the way in. */
export function toOrchestrator(row: OrchestratorRow): Orchestrator {
  return row as Orchestrator;
}
