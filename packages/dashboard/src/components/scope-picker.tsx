import type { ScopeSummary } from '@octopoid/api';
import { ago } from '../board.js';
import { scopeHref } from '../location.js';
import { useNow } from './use-now.js';

const COUNTED = ['tasks', 'projects', 'drafts', 'orchestrators', 'messages', 'actions'] as const;

/** Every scope with its entity counts and last activity, most recently active first. */
export function ScopePicker({ scopes }: { scopes: readonly ScopeSummary[] }) {
  const now = useNow();
  const byActivity = [...scopes].sort((a, b) =>
    b.last_activity_at.localeCompare(a.last_activity_at),
  );
  if (byActivity.length === 0) return <p class="empty">No scope holds anything yet.</p>;
  return (
    <table class="scopes">
      <thead>
        <tr>
          <th>scope</th>
          {COUNTED.map((name) => (
            <th key={name}>{name}</th>
          ))}
          <th>last activity</th>
        </tr>
      </thead>
      <tbody>
        {byActivity.map((summary) => (
          <tr key={summary.scope} data-scope={summary.scope}>
            <td>
              <a href={scopeHref(summary.scope)}>{summary.scope}</a>
            </td>
            {COUNTED.map((name) => (
              <td key={name} class="count">
                {summary.counts[name]}
              </td>
            ))}
            <td title={summary.last_activity_at}>{ago(summary.last_activity_at, now)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
