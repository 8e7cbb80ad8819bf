const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * Refuses a server URL outside this machine unless the caller opted in, so a test run can never
 * write to a shared or production queue by accident.
 */
export function assertLoopbackUrl(url: string, allowRemote: boolean): void {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    throw new Error(`OCTOPOID_TEST_SERVER_URL is not a URL: ${url}`);
  }
  const loopback = LOOPBACK_HOSTS.has(host) || /^127(\.\d{1,3}){3}$/.test(host);
  if (!loopback && !allowRemote) {
    throw new Error(
      `refusing to run tests against ${url}: it is not a loopback address. ` +
        'Set OCTOPOID_TEST_ALLOW_REMOTE=1 if this server really is a test server.',
    );
  }
}
