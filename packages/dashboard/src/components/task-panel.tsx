import type { Task } from '@octopoid/api';
import { useState } from 'preact/hooks';
import type { DashboardApi } from '../api.js';
import { ago } from '../board.js';
import { useLiveLoad } from '../use-live-load.js';
import { useNow } from './use-now.js';

const show = (value: unknown) => (value === null || value === undefined ? '—' : String(value));

/** One task: its history timeline, its message thread, proposed actions, then every field. */
export function TaskPanel({
  api,
  scope,
  id,
  changes,
  onClose,
}: {
  api: DashboardApi;
  scope: string;
  id: string;
  changes: number;
  onClose: () => void;
}) {
  const now = useNow();
  const [actionFailure, setActionFailure] = useState<Error | null>(null);
  const { value: detail, failure } = useLiveLoad(
    () => api.taskDetail(scope, id),
    [scope, id],
    changes,
  );
  return (
    <aside class="panel" data-panel-task={id}>
      <header>
        <h2>{id}</h2>
        <button type="button" class="close" onClick={onClose} aria-label="close">
          ×
        </button>
      </header>
      {failure && <p class="failure">{failure.message}</p>}
      {detail && (
        <>
          <p class="summary">
            {detail.task.title} · <b>{detail.task.queue}</b> · version {detail.task.version}
          </p>
          <h3>History</h3>
          <ol class="history">
            {detail.history.history.map((entry) => (
              <li key={entry.id} data-event={entry.event}>
                <span class="event">{entry.event}</span>
                {entry.agent && <span class="agent">{entry.agent}</span>}
                <time title={entry.timestamp}>{ago(entry.timestamp, now)}</time>
                {entry.details && <pre>{entry.details}</pre>}
              </li>
            ))}
          </ol>
          <h3>Messages</h3>
          {detail.messages.messages.length === 0 ? (
            <p class="empty">No messages.</p>
          ) : (
            <ol class="messages">
              {detail.messages.messages.map((message) => (
                <li key={message.id} class={message.parent_message_id ? 'reply' : ''}>
                  <span class="from">{message.from_actor}</span>
                  {message.to_actor && <span class="to">→ {message.to_actor}</span>}
                  <span class="type">{message.type}</span>
                  <time title={message.created_at}>{ago(message.created_at, now)}</time>
                  <p>{message.content}</p>
                </li>
              ))}
            </ol>
          )}
          <h3>Actions</h3>
          {actionFailure && <p class="failure">{actionFailure.message}</p>}
          {detail.actions.actions.length === 0 ? (
            <p class="empty">No actions.</p>
          ) : (
            <ul class="actions">
              {detail.actions.actions.map((action) => (
                <li key={action.id}>
                  <span class="label">{action.label}</span>
                  <span class={`status ${action.status}`}>{action.status}</span>
                  <span class="agent">{action.proposed_by}</span>
                  {action.status === 'proposed' && (
                    <button
                      type="button"
                      class="execute"
                      onClick={() =>
                        void api.executeAction(scope, action.id).catch(setActionFailure)
                      }
                    >
                      execute
                    </button>
                  )}
                  {action.description && <p>{action.description}</p>}
                </li>
              ))}
            </ul>
          )}
          <h3>Fields</h3>
          <table class="fields">
            <tbody>
              {(Object.keys(detail.task) as (keyof Task)[]).map((field) => (
                <tr key={field}>
                  <th>{field}</th>
                  <td>{show(detail.task[field])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </aside>
  );
}
