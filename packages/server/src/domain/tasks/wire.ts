import type { Task, TaskHistoryEntry } from '@octopoid/api';
import type { HistoryRow } from '../../store/history.js';
import type { TaskRow } from '../../store/tasks.js';

export function toTask(row: TaskRow): Task {
  const { claimed_from: _from, lost_leases: _lost, ...task } = row;
  return task as Task;
}

export function toHistoryEntry(row: HistoryRow): TaskHistoryEntry {
  const { scope: _scope, ...entry } = row;
  return { ...entry, id: Number(entry.id) };
}
