/** A project moved to `completed` gets its completion time, unless it already has one. */
export function completionTime(
  status: string | undefined,
  completedAt: string | null,
  now: string,
): string | null {
  return status === 'completed' && !completedAt ? now : completedAt;
}
