import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { AddressableEntity } from '../store/id-owners.js';
import type { AppEnv } from './env.js';

/**
 * What the `/api/v1` middleware needs to know about a route, declared once on the route itself
 * (`createRoute({ …, middleware: routeFacts({ … }) })`) instead of in URL patterns. A route
 * declaring nothing takes every default.
 */
export interface RouteFacts {
  /**
   * Where the request's scope is named. Default: the query, body, header or API key.
   * `{ param }`: also the path parameter of that name (`/scopes/{scope}`). `'none'`: the route
   * serves no scope (the scope list) and the scope middleware leaves it alone.
   */
  scope?: { param: string } | 'none';
  /**
   * The path parameter naming one entity. A request naming no scope on a server with legacy
   * unscoped ids resolves to the one scope holding that entity.
   */
  addresses?: { entity: AddressableEntity; param: string };
  /**
   * `'open-registration'`: a key-less request may call the route on a server requiring keys
   * when registration is open (the first registration of a new scope). Default: a key is needed.
   */
  auth?: 'open-registration';
  /** Test-mode fault rules never apply: the kit's own set-up and clean-up. Default false. */
  faultFree?: boolean;
}

const declared = new WeakMap<object, RouteFacts>();

/**
 * The route-level middleware that carries a route's facts. It does nothing when it runs: the
 * `/api/v1` middleware, which runs before it, finds it among the request's matched routes.
 */
export function routeFacts(facts: RouteFacts): MiddlewareHandler<AppEnv> {
  const carrier: MiddlewareHandler<AppEnv> = (_c, next) => next();
  declared.set(carrier, facts);
  return carrier;
}

/** The route answering a request: its registered path (`/api/v1/tasks/:id`) and its facts. */
interface AnsweringRoute {
  path: string;
  facts: RouteFacts;
}

/** Each request's answering route, found once: the auth, scope and fault middleware all ask. */
const answering = new WeakMap<Context, AnsweringRoute | undefined>();

/**
 * The route that answers `c`: the first matched handler registered for a method rather than
 * as middleware for all (Hono runs matched handlers in registration order, and a route handler
 * answers without calling on). `undefined` when no route matches (the request ends in a 404).
 */
function answeringRoute(c: Context): AnsweringRoute | undefined {
  if (answering.has(c)) return answering.get(c);
  const route = findAnsweringRoute(c);
  answering.set(c, route);
  return route;
}

function findAnsweringRoute(c: Context): AnsweringRoute | undefined {
  const routes = matchedRoutes(c);
  const endpoint = routes.find((route) => route.method !== 'ALL');
  if (!endpoint) return undefined;
  const carrier = routes.find(
    (route) =>
      route.method === endpoint.method &&
      route.path === endpoint.path &&
      declared.has(route.handler),
  );
  return { path: endpoint.path, facts: carrier ? (declared.get(carrier.handler) ?? {}) : {} };
}

/** The facts of the route answering `c`; `{}` (every default) when it declared none. */
export function factsOf(c: Context): RouteFacts {
  return answeringRoute(c)?.facts ?? {};
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The decoded value of path parameter `name` of the route answering `c`, read by its position
 * in the route's path; `undefined` when that route has no such parameter. Middleware running
 * before the route cannot use `c.req.param()`, which reads the running handler's own path.
 */
export function pathParam(c: Context, name: string): string | undefined {
  const route = answeringRoute(c);
  if (!route) return undefined;
  const position = route.path.split('/').indexOf(`:${name}`);
  if (position < 0) return undefined;
  const segment = c.req.path.split('/')[position];
  return segment === undefined ? undefined : decodeSegment(segment);
}

/** The entity the route answering `c` addresses by id, with that id; `undefined` if none. */
export function addressedEntity(c: Context): { entity: AddressableEntity; id: string } | undefined {
  const { addresses } = factsOf(c);
  if (!addresses) return undefined;
  const id = pathParam(c, addresses.param);
  return id === undefined ? undefined : { entity: addresses.entity, id };
}

/** The scope the route answering `c` names in its path, if it declares one. */
export function scopeInPath(c: Context): string | undefined {
  const { scope } = factsOf(c);
  return typeof scope === 'object' ? pathParam(c, scope.param) : undefined;
}
