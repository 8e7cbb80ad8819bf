import { SCOPE_NAME_PATTERN } from '@octopoid/api';
import { ApiError } from '../errors.js';

export interface ScopeSources {
  path?: string | undefined;
  query?: string | undefined;
  body?: unknown;
  header?: string | undefined;
  apiKey?: string | undefined;
  fallback?: string | undefined;
}

const SOURCE_NAMES = {
  path: 'path',
  query: '?scope=',
  body: 'body scope',
  header: 'X-Octopoid-Scope header',
  apiKey: 'API key',
} as const;

/** Where each source sits in the request, named as request validation names fields. */
const SOURCE_FIELDS = {
  path: 'path.scope',
  query: 'query.scope',
  body: 'scope',
  header: 'header.x-octopoid-scope',
  apiKey: 'header.authorization',
} as const;

export const HOW_TO_NAME_A_SCOPE =
  'name a scope with ?scope=NAME, a "scope" field in the JSON body, or the X-Octopoid-Scope header';

export function validateScopeName(value: unknown, field = 'scope'): string {
  if (typeof value !== 'string' || !SCOPE_NAME_PATTERN.test(value)) {
    throw ApiError.invalid(field, 'must be 1-128 characters of letters, digits and ._:-');
  }
  return value;
}

/**
 * Resolves the scope of a request from its sources. Every source that is present must name the
 * same scope; the fallback (a server's default scope) applies only when none is present.
 */
export function resolveScope(sources: ScopeSources): string {
  const named: [keyof typeof SOURCE_NAMES, string][] = [];
  for (const source of ['path', 'query', 'body', 'header', 'apiKey'] as const) {
    const value = sources[source];
    if (value === undefined || value === null || value === '') continue;
    named.push([source, validateScopeName(value, SOURCE_FIELDS[source])]);
  }
  const first = named[0];
  if (!first) {
    if (sources.fallback) return sources.fallback;
    throw new ApiError('scope_required', `no scope given: ${HOW_TO_NAME_A_SCOPE}`, [
      { field: 'scope', reason: 'required' },
    ]);
  }
  const disagreeing = named.find(([, scope]) => scope !== first[1]);
  if (disagreeing) {
    const message = `${SOURCE_NAMES[first[0]]} names scope ${first[1]} but ${SOURCE_NAMES[disagreeing[0]]} names ${disagreeing[1]}`;
    const details = [{ field: 'scope', reason: 'sources disagree' }];
    throw disagreeing[0] === 'apiKey' || first[0] === 'apiKey'
      ? ApiError.keyScopeMismatch(message, details)
      : new ApiError('scope_mismatch', message, details);
  }
  return first[1];
}
