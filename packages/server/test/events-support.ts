import { createParser } from 'eventsource-parser';

export interface ReceivedEvent {
  event: string;
  data: Record<string, unknown>;
}

/** An open `GET /api/v1/events` stream, collecting every event it receives. */
export interface EventStream {
  response: Response;
  events: ReceivedEvent[];
  /** True once the server ended the stream. */
  ended(): boolean;
  close(): void;
  [Symbol.dispose](): void;
}

/** Opens the event stream at `url` and reads it in the background until closed or ended. */
export async function openEventStream(
  url: string,
  headers: Record<string, string> = {},
): Promise<EventStream> {
  const abort = new AbortController();
  const response = await fetch(url, { headers, signal: abort.signal });
  const events: ReceivedEvent[] = [];
  let ended = false;
  if (response.ok && response.body) {
    const parser = createParser({
      onEvent: ({ event, data }) =>
        events.push({ event: event ?? 'message', data: JSON.parse(data) }),
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        parser.feed(read.value);
      }
    })()
      .catch(() => undefined)
      .finally(() => {
        ended = true;
      });
  }
  const close = () => abort.abort();
  return { response, events, ended: () => ended, close, [Symbol.dispose]: close };
}

/** The `change` events among `events`, as `METHOD path`. */
export const changes = (events: readonly ReceivedEvent[]) =>
  events.filter((e) => e.event === 'change').map((e) => `${e.data.method} ${e.data.path}`);
