import type { MiddlewareHandler } from 'hono';
import { isAdminToken } from '../../domain/auth/admin.js';
import { authenticateBearer, bearerToken } from '../../domain/auth/authenticate.js';
import { DEFAULT_AUTH_MODE } from '../../domain/auth/mode.js';
import { ApiError } from '../../errors.js';
import type { AppEnv } from '../env.js';
import { factsOf } from '../route-facts.js';

/**
 * Reads the request's API key (`Authorization: Bearer oct_…`) according to the server's auth
 * mode. A key that is sent must be valid (401); the scope it belongs to becomes one of the
 * request's scope sources, so the scope middleware refuses a disagreeing scope with 403.
 */
export function authenticate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const options = c.get('options');
    const mode = options.auth ?? DEFAULT_AUTH_MODE;
    const header = mode === 'off' ? undefined : c.req.header('authorization');
    const admin = header !== undefined && isAdminToken(bearerToken(header), options.adminKey);
    const apiKey =
      header === undefined || admin
        ? undefined
        : await authenticateBearer(c.get('services'), header);
    const registering =
      options.openRegistration === true && factsOf(c).auth === 'open-registration';
    if (mode === 'required' && !apiKey && !admin && !registering) {
      throw new ApiError(
        'unauthorized',
        'this server requires an API key: send "Authorization: Bearer <key>". ' +
          (options.openRegistration
            ? "A new scope's first orchestrator registration issues its key."
            : 'Scopes are created with the admin key, whose registration issues their key.'),
        [{ field: 'header.authorization', reason: 'required' }],
      );
    }
    c.set('caller', { mode, apiKey, admin });
    return next();
  };
}
