import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../../errors.js';
import type { AppEnv } from '../env.js';

/** Host names that can only mean this machine: `localhost` and its subdomains (RFC 6761 §6.3). */
const LOOPBACK_NAME = /^(?:[a-z0-9-]+\.)*localhost$/i;
const IPV4_LOOPBACK = /^127(?:\.\d{1,3}){3}$/;

/** Whether an interface or `Host` name is a loopback one: 127/8, `::1` or `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const name = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return name === '::1' || IPV4_LOOPBACK.test(name) || LOOPBACK_NAME.test(name);
}

/** The host name of a `Host` header value, without its port; `undefined` when malformed. */
function hostName(header: string): string | undefined {
  try {
    return new URL(`http://${header}`).hostname;
  } catch {
    return undefined;
  }
}

/**
 * For a server bound to a loopback interface: refuses a request whose `Host` names anything but
 * this machine (403). A web page that rebinds its own domain name to 127.0.0.1 (DNS rebinding)
 * reaches the port, but its requests still carry that domain name as their `Host`.
 */
export function loopbackHost(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('host');
    const name = header === undefined ? undefined : hostName(header);
    if (name === undefined || !isLoopbackHost(name)) {
      throw new ApiError('forbidden', 'this server answers only requests addressed to it', [
        {
          field: 'header.host',
          reason:
            'must name the loopback interface the server listens on (localhost, 127.0.0.1, [::1])',
        },
      ]);
    }
    return next();
  };
}
