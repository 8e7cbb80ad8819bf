import type { BoardData } from '../api.js';
import { ago } from '../board.js';
import { useNow } from './use-now.js';

/** The scope's projects, drafts and orchestrators (with heartbeat age), beside the board. */
export function ScopeLists({ data }: { data: BoardData }) {
  const now = useNow();
  const { projects, drafts, orchestrators } = data;
  return (
    <div class="lists">
      <section data-list="orchestrators">
        <h3>Orchestrators</h3>
        {orchestrators.orchestrators.length === 0 && <p class="empty">None registered.</p>}
        <ul>
          {orchestrators.orchestrators.map((orchestrator) => (
            <li key={orchestrator.id}>
              <span class="name">{orchestrator.id}</span>
              <span class={`status ${orchestrator.status}`}>{orchestrator.status}</span>
              <span class="heartbeat" title={orchestrator.last_heartbeat}>
                heartbeat {ago(orchestrator.last_heartbeat, now)}
              </span>
            </li>
          ))}
        </ul>
      </section>
      <section data-list="projects">
        <h3>Projects</h3>
        {projects.projects.length === 0 && <p class="empty">None.</p>}
        <ul>
          {projects.projects.map((project) => (
            <li key={project.id}>
              <span class="name">{project.id}</span> {project.title}
              <span class="status">{project.status}</span>
            </li>
          ))}
        </ul>
      </section>
      <section data-list="drafts">
        <h3>Drafts</h3>
        {drafts.drafts.length === 0 && <p class="empty">None.</p>}
        <ul>
          {drafts.drafts.map((draft) => (
            <li key={draft.id}>
              <span class="name">#{draft.id}</span> {draft.title}
              <span class="status">{draft.status}</span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
