import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from '../../errors.js';
import type { AppEnv } from '../env.js';
import { isJsonBody } from './json-body.js';

function tooLarge(maxBytes: number): ApiError {
  return new ApiError('payload_too_large', `request body exceeds ${maxBytes} bytes`, [
    { field: 'body', reason: `at most ${maxBytes} bytes (max-body-bytes)` },
  ]);
}

const bytesOf = (chunks: Uint8Array[], size: number): Uint8Array =>
  chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks, size);

/**
 * The whole body of a Node request, read from the request itself. Past `maxBytes` it stops
 * reading and throws 413; the rest stays unread for the adapter to drain once the answer is
 * sent (a destroyed request would take the socket, and the answer, with it).
 */
function readIncoming(incoming: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const settle = (outcome: () => void) => {
      incoming.off('data', onData).off('end', onEnd).off('error', onEnd).off('close', onEnd);
      outcome();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
      else {
        settle(() => reject(tooLarge(maxBytes)));
        incoming.pause();
      }
    };
    // `end` comes once the body is complete; `error` or `close` first when the client went away.
    const onEnd = () =>
      settle(() =>
        incoming.complete
          ? resolve(bytesOf(chunks, size))
          : reject(new ApiError('bad_request', 'the request body was cut off')),
      );
    incoming.on('data', onData).on('end', onEnd).on('error', onEnd).on('close', onEnd);
  });
}

/** The whole of a web request body stream; throws 413 past `maxBytes`, the rest left unread. */
async function readStream(body: ReadableStream<Uint8Array>, maxBytes: number) {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > maxBytes) {
      reader.releaseLock();
      throw tooLarge(maxBytes);
    }
    chunks.push(read.value);
  }
  return bytesOf(chunks, size);
}

/**
 * The request's body, `undefined` when it has none. Served by `@hono/node-server`, it is read
 * from the Node request: the adapter's `Request` stays a light shell, never built in full (its
 * `body`, `text()` and `arrayBuffer()` would each build one).
 */
function readBody(c: Context<AppEnv>, maxBytes: number): Promise<Uint8Array | undefined> {
  const incoming = c.env?.incoming;
  if (!incoming) {
    const { body } = c.req.raw;
    return body ? readStream(body, maxBytes) : Promise.resolve(undefined);
  }
  // HTTP/1.1: a request with neither header has no body.
  const chunked = c.req.header('transfer-encoding') !== undefined;
  if (!chunked && !(Number(c.req.header('content-length')) > 0)) return Promise.resolve(undefined);
  return readIncoming(incoming, maxBytes);
}

/**
 * Checks that a body comes as it is: the server decodes no `Content-Encoding` (gzip bytes would
 * otherwise be read as JSON).
 * @throws `ApiError` 415 `unsupported_media_type` naming `Content-Encoding` for any but identity
 */
function requireIdentityEncoding(c: Context<AppEnv>): void {
  const encoding = c.req.header('content-encoding')?.trim().toLowerCase();
  if (encoding === undefined || encoding === '' || encoding === 'identity') return;
  throw new ApiError('unsupported_media_type', `request bodies are not decoded: ${encoding}`, [
    { field: 'Content-Encoding', reason: 'send the body uncompressed, without Content-Encoding' },
  ]);
}

/**
 * Reads every request body once, refusing one over `maxBytes` with 413 `payload_too_large`: at
 * once when its `Content-Length` says so, else as soon as the bytes read pass the limit (a
 * chunked body). A JSON body's bytes go to the `body` variable, where the `jsonBody` middleware
 * parses them; any other body is put back on `c.req.raw` for later readers (the route's
 * media-type check), and `c.req.raw.body` of a request without one is `null`. GET and HEAD
 * bodies are ignored, as the Node adapter does. A `Content-Encoding` other than identity is a 415.
 */
export function bodyLimit(maxBytes: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    requireIdentityEncoding(c);
    const declared = c.req.header('content-length');
    if (
      declared !== undefined &&
      Number(declared) > maxBytes &&
      c.req.header('transfer-encoding') === undefined
    ) {
      throw tooLarge(maxBytes);
    }
    const bytes = await readBody(c, maxBytes);
    if (isJsonBody(c)) c.set('body', bytes);
    // Node's buffers are never shared memory.
    else if (bytes) c.req.raw = new Request(c.req.raw, { body: bytes as Uint8Array<ArrayBuffer> });
    // A body-less request without a Content-Type (a v1 client's POST) has the route's media-type
    // check ask for `body`, which on the adapter's light Request would build the full one.
    else Object.defineProperty(c.req.raw, 'body', { value: null });
    return next();
  };
}
