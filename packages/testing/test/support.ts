import type { TaskCreateInput } from '@octopoid/api';
import type { OctopoidSDK } from '@octopoid/sdk';

export const newTask = (id: string, extra: Partial<TaskCreateInput> = {}): TaskCreateInput => ({
  id,
  file_path: `tasks/${id}.md`,
  branch: 'main',
  title: id,
  ...extra,
});

export const claimant = { orchestrator_id: 'orch-1', agent_name: 'agent-1' } as const;

/**
 * A second scope for a test about isolation, purged when the test finishes. Pass the test
 * context's `onTestFinished`.
 */
export function neighbourScope(
  sdk: OctopoidSDK,
  onTestFinished: (fn: () => Promise<void>) => void,
): OctopoidSDK {
  const neighbour = sdk.withScope(`${sdk.scope}.neighbour`);
  onTestFinished(async () => {
    await neighbour.scopes.purge();
  });
  return neighbour;
}

/** Creates a task and takes it through claim and submit, so it waits in review. */
export async function taskAwaitingReview(sdk: OctopoidSDK, id: string) {
  await sdk.tasks.create(newTask(id));
  await sdk.tasks.claim(claimant);
  return sdk.tasks.submit(id, { commits_count: 1, turns_used: 1 });
}

/** Resolves for every caller once `parties` callers have arrived. */
export function meetingPoint(parties: number): () => Promise<void> {
  let arrived = 0;
  let open: () => void = () => {};
  const everyone = new Promise<void>((resolve) => {
    open = resolve;
  });
  return () => {
    arrived += 1;
    if (arrived === parties) open();
    return everyone;
  };
}
