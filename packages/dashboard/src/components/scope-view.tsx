import { useEffect, useState } from 'preact/hooks';
import type { ApiFailure, DashboardApi } from '../api.js';
import { TASK_PAGE_LIMIT } from '../api.js';
import { type LiveMode, watchScope } from '../live.js';
import { scopeHref } from '../location.js';
import { useLiveLoad } from '../use-live-load.js';
import { Board } from './board.js';
import { ScopeLists } from './scope-lists.js';
import { TaskPanel } from './task-panel.js';

const MODE_LABEL: Record<LiveMode, string> = {
  connecting: 'connecting…',
  live: 'live',
  polling: 'polling',
};

/**
 * One scope's board, lists and task panel, re-read on each change the event stream announces.
 * `requested` is `null` for the scope of the API key, which the stream's `ready` event names.
 */
export function ScopeView({
  api,
  requested,
  initialTask,
  onRefused,
}: {
  api: DashboardApi;
  requested: string | null;
  initialTask: string | null;
  onRefused: (failure: ApiFailure) => void;
}) {
  const [scope, setScope] = useState(requested);
  const [task, setTask] = useState(initialTask);
  const [changes, setChanges] = useState(0);
  const [mode, setMode] = useState<LiveMode>('connecting');

  useEffect(
    () =>
      watchScope({
        scope: requested,
        apiKey: api.apiKey,
        onReady: setScope,
        onChange: () => setChanges((n) => n + 1),
        onMode: setMode,
        onRefused,
      }),
    [api, requested, onRefused],
  );
  useEffect(() => {
    if (scope !== null) history.replaceState(null, '', scopeHref(scope, task));
  }, [scope, task]);

  const board = useLiveLoad(
    () => (scope === null ? Promise.resolve(undefined) : api.board(scope)),
    [api, scope],
    changes,
  );
  useEffect(() => {
    if (board.failure && board.failure.status < 500 && board.failure.status > 0) {
      onRefused(board.failure);
    }
  }, [board.failure, onRefused]);

  const data = board.value;
  return (
    <div class="scope-view">
      <div class="scope-bar">
        <h1 data-scope-name={scope ?? ''}>{scope ?? 'the key’s scope'}</h1>
        <span class={`live ${mode}`} data-live={mode}>
          {MODE_LABEL[mode]}
        </span>
        {data && data.tasks.total > data.tasks.tasks.length && (
          <span class="truncated">
            showing {TASK_PAGE_LIMIT} of {data.tasks.total} tasks
          </span>
        )}
        {board.failure && <span class="failure">{board.failure.message}</span>}
      </div>
      {data && scope !== null && (
        <div class="scope-body">
          <div class="main">
            <Board
              tasks={data.tasks.tasks}
              flows={data.flows.flows}
              selected={task}
              onOpen={setTask}
            />
            <ScopeLists data={data} />
          </div>
          {task && (
            <TaskPanel
              api={api}
              scope={scope}
              id={task}
              changes={changes}
              onClose={() => setTask(null)}
            />
          )}
        </div>
      )}
    </div>
  );
}
