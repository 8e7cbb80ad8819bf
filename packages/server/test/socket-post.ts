import { request } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A server's answer read from a socket: status and body text. */
export interface SocketAnswer {
  status: number;
  body: string;
}

/**
 * POSTs `chunks` to `url` over a socket as a chunked body (no `content-length`) and resolves to
 * the server's answer. A server may answer before the body is all sent (a 413 once the limit is
 * passed) and then stop reading: writing the rest may then fail (EPIPE, reset), which is how HTTP
 * ends such an exchange, so a write failure after the answer's headers arrived is not an error.
 *
 * @throws the connection's error when it fails before any answer arrives.
 */
export function postOverSocket(
  url: URL,
  headers: Record<string, string>,
  chunks: Iterable<Uint8Array>,
): Promise<SocketAnswer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(url, { method: 'POST', headers }, (response) => {
      answered = true;
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (text: string) => {
        body += text;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    pipeline(Readable.from(chunks), req).catch((error: unknown) => {
      if (!answered) reject(error);
    });
  });
}
