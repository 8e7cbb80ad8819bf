/** The page's address holds what is shown: `/ui?scope=NAME&task=ID`. */
export interface Shown {
  scope: string | null;
  task: string | null;
}

export function shownIn(search: string): Shown {
  const params = new URLSearchParams(search);
  return { scope: params.get('scope') || null, task: params.get('task') || null };
}

/** The address of a scope's board, or with `task` its task panel. */
export function scopeHref(scope: string, task?: string | null): string {
  const params = new URLSearchParams({ scope });
  if (task) params.set('task', task);
  return `?${params}`;
}
