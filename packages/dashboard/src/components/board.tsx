import type { Flow, Task } from '@octopoid/api';
import { blocker, boardColumns, leaseLeft, tasksByColumn } from '../board.js';
import { useNow } from './use-now.js';

function TaskCard({
  task,
  queueOf,
  now,
  selected,
  onOpen,
}: {
  task: Task;
  queueOf: ReadonlyMap<string, string>;
  now: number;
  selected: boolean;
  onOpen: (id: string) => void;
}) {
  const blockedBy = blocker(task, queueOf);
  const lease = leaseLeft(task, now);
  return (
    <button
      type="button"
      class={`card${selected ? ' selected' : ''}${blockedBy ? ' blocked' : ''}`}
      data-task={task.id}
      onClick={() => onOpen(task.id)}
    >
      <div class="card-head">
        <span class="task-id">{task.id}</span>
        {task.priority && <span class={`priority ${task.priority}`}>{task.priority}</span>}
      </div>
      <div class="title">{task.title}</div>
      <div class="meta">
        {task.role && <span class="role">{task.role}</span>}
        {task.claimed_by && <span class="claimant">{task.claimed_by}</span>}
        {lease && <span class={`lease${lease === 'expired' ? ' expired' : ''}`}>{lease}</span>}
      </div>
      {blockedBy && (
        <div class="blocked-by">
          blocked by {blockedBy.id} ({blockedBy.queue})
        </div>
      )}
    </button>
  );
}

/** One column per queue (built-in and the scope's flow states), a card per task. */
export function Board({
  tasks,
  flows,
  selected,
  onOpen,
}: {
  tasks: readonly Task[];
  flows: readonly Flow[];
  selected: string | null;
  onOpen: (id: string) => void;
}) {
  const now = useNow();
  const columns = boardColumns(flows, tasks);
  const byColumn = tasksByColumn(columns, tasks);
  const queueOf = new Map(tasks.map((task) => [task.id, task.queue]));
  return (
    <div class="board">
      {columns.map((column) => {
        const cards = byColumn.get(column) ?? [];
        return (
          <section class="column" data-column={column} key={column}>
            <h3 title={column}>
              <span class="column-name">{column}</span>
              <span class="count">{cards.length}</span>
            </h3>
            {cards.map((task) => (
              <TaskCard
                key={task.id}
                task={task}
                queueOf={queueOf}
                now={now}
                selected={task.id === selected}
                onOpen={onOpen}
              />
            ))}
          </section>
        );
      })}
    </div>
  );
}
