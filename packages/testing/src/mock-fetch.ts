import { pathGlobToRegExp } from '@octopoid/api';
import type { Fetch } from '@octopoid/sdk';

/**
 * Answers one mocked request. `forward` sends it on to the real server, for replies that
 * depend on what the server really did (e.g. "it acted, but the answer was lost").
 */
export type MockReply = (request: Request, forward: () => Promise<Response>) => Promise<Response>;

export interface MockRoute {
  /** Any method when omitted. */
  method?: string;
  /** A glob over the URL path (`*` one segment, `**` any run), as in fault rules, or a RegExp. */
  path: string | RegExp;
  /** How often the route answers; after that requests pass through. Unlimited when omitted. */
  times?: number;
  reply: MockReply;
}

export interface MockCall {
  method: string;
  path: string;
  /** Whether a route answered (`true`) or the request passed through to the server. */
  mocked: boolean;
}

/** A `fetch` for `new OctopoidSDK({ fetch })`; `calls` records every request it saw. */
export interface MockFetch {
  (input: string | URL | Request, init?: RequestInit): Promise<Response>;
  readonly calls: readonly MockCall[];
}

/**
 * A transport-level mock for what fault rules cannot express (a connection reset, a cut-off
 * body): chosen requests get a scripted reply, the rest go to the real server through
 * `passthrough` (default the global fetch). It is handed to the SDK, never patched in.
 */
export function createMockFetch(options: { routes: MockRoute[]; passthrough?: Fetch }): MockFetch {
  const passthrough = options.passthrough ?? globalThis.fetch;
  const routes = options.routes.map((route) => ({
    route,
    pattern: route.path instanceof RegExp ? route.path : pathGlobToRegExp(route.path),
    used: 0,
  }));
  const calls: MockCall[] = [];
  const mockFetch = async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    const { pathname } = new URL(request.url);
    const match = routes.find(
      ({ route, pattern, used }) =>
        (route.method === undefined || route.method.toUpperCase() === request.method) &&
        pattern.test(pathname) &&
        (route.times === undefined || used < route.times),
    );
    calls.push({ method: request.method, path: pathname, mocked: match !== undefined });
    if (!match) return passthrough(input, init);
    match.used += 1;
    return match.route.reply(request, () => passthrough(input, init));
  };
  return Object.assign(mockFetch, { calls });
}

/** The error fetch raises when a connection fails before any response arrives. */
function fetchFailed(code: string, message: string): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
}

/** Ready-made replies for `MockRoute.reply`. */
export const mockReplies = {
  /** A JSON answer the server never gave. */
  json:
    (status: number, body: unknown): MockReply =>
    async () =>
      Response.json(body, { status }),

  /**
   * A proxy on the way refuses the request until the client authenticates to it: 407 with a
   * `Proxy-Authenticate` challenge (`Basic realm="proxy"` unless given another). The request
   * never reached the server.
   */
  proxyAuthenticationRequired:
    (challenge = 'Basic realm="proxy"'): MockReply =>
    async () =>
      new Response('<html><body>407 Proxy Authentication Required</body></html>', {
        status: 407,
        headers: { 'content-type': 'text/html', 'proxy-authenticate': challenge },
      }),

  /** The connection drops before any response: the request never reached the server. */
  connectionReset: (): MockReply => async () => {
    throw fetchFailed('ECONNRESET', 'read ECONNRESET');
  },

  /**
   * The request reaches the server and is carried out, then the connection drops after
   * `bytes` bytes of the response body: the caller cannot know whether it succeeded.
   */
  resetMidResponse:
    (bytes = 8): MockReply =>
    async (_request, forward) => {
      const answer = await forward();
      const head = new Uint8Array(await answer.arrayBuffer()).slice(0, bytes);
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(head);
          controller.error(fetchFailed('UND_ERR_SOCKET', 'other side closed'));
        },
      });
      return new Response(body, { status: answer.status, headers: answer.headers });
    },
};
