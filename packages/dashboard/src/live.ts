import type { ScopeReadyEvent } from '@octopoid/api';
import { createParser } from 'eventsource-parser';
import { ApiFailure, authHeaders } from './api.js';

/** How the page learns about changes: the event stream, or re-reading on a timer. */
export type LiveMode = 'connecting' | 'live' | 'polling';

/** Re-read interval while the event stream is down: changes still show within about a second. */
export const POLL_MS = 1_000;
/** How long to poll before trying the event stream again. */
export const RECONNECT_MS = 5_000;
/**
 * Re-read interval while the stream is up. A server instance relays only the writes it served,
 * so changes made through another instance sharing the database show at this pace.
 */
export const REFRESH_MS = 15_000;

export interface WatchOptions {
  /** The scope to watch; `null` for the scope of `apiKey`. */
  scope: string | null;
  apiKey: string | null;
  origin?: string;
  /** The stream opened; `scope` is the one the server bound it to. */
  onReady?: (scope: string) => void;
  /** Something in the scope may have changed: re-read it. */
  onChange: () => void;
  onMode?: (mode: LiveMode) => void;
  /** The server refused the stream (401/403/400): watching stops. */
  onRefused?: (failure: ApiFailure) => void;
}

const delay = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * Reads `GET /api/v1/events` until it ends, calling `onEvent(name, data)` per event. Throws
 * `ApiFailure` when the server refuses it, any other error when the connection fails.
 */
async function readStream(
  options: WatchOptions,
  signal: AbortSignal,
  onEvent: (name: string, data: string) => void,
): Promise<void> {
  const query = options.scope === null ? '' : `?scope=${encodeURIComponent(options.scope)}`;
  const response = await fetch(`${options.origin ?? ''}/api/v1/events${query}`, {
    headers: { accept: 'text/event-stream', ...authHeaders(options.apiKey) },
    signal,
  });
  if (!response.ok || !response.body) {
    const body = (await response.json().catch(() => null)) as { error?: string; code?: string };
    throw new ApiFailure(response.status, body?.code ?? 'unknown', body?.error ?? 'refused');
  }
  const parser = createParser({
    onEvent: (event) => onEvent(event.event ?? 'message', event.data),
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    parser.feed(read.value);
  }
}

/**
 * Watches one scope: the event stream while it is up (plus a slow re-read), polling every
 * `POLL_MS` while it is down, retrying the stream every `RECONNECT_MS`. Returns `stop()`.
 */
export function watchScope(options: WatchOptions): () => void {
  const abort = new AbortController();
  const { signal } = abort;
  const setMode = (mode: LiveMode) => options.onMode?.(mode);

  const pollUntil = async (ms: number) => {
    for (let waited = 0; waited < ms && !signal.aborted; waited += POLL_MS) {
      await delay(POLL_MS, signal);
      if (!signal.aborted) options.onChange();
    }
  };

  void (async () => {
    setMode('connecting');
    while (!signal.aborted) {
      const refresh = setInterval(options.onChange, REFRESH_MS);
      try {
        await readStream(options, signal, (name, data) => {
          if (name === 'ready') {
            setMode('live');
            options.onReady?.((JSON.parse(data) as ScopeReadyEvent).scope);
            options.onChange();
          } else if (name === 'change') {
            options.onChange();
          }
        });
      } catch (error) {
        if (error instanceof ApiFailure && error.status < 500) {
          options.onRefused?.(error);
          return;
        }
      } finally {
        clearInterval(refresh);
      }
      if (signal.aborted) return;
      setMode('polling');
      await pollUntil(RECONNECT_MS);
    }
  })();
  return () => abort.abort();
}
