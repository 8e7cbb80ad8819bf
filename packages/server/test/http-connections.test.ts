/**
 * The HTTP server's own bounds on slow clients (`headersTimeoutMs`, `requestTimeoutMs`,
 * `keepAliveTimeoutMs`): a client that never finishes its headers or its body is answered 408
 * and disconnected, an idle keep-alive connection is closed, and a long-poll claim, which waits
 * after its body has arrived, is not cut. Small bounds keep the tests short; no test measures
 * time beyond "the connection ended". Headers are bounded in size as well.
 */
import { connect } from 'node:net';
import { startServer } from '@octopoid/server';
import { describe, expect, test } from '@octopoid/testing/vitest';
import { claimant, expectError, send } from './tasks-support.js';

const TIMEOUTS = { headersTimeoutMs: 200, requestTimeoutMs: 400, keepAliveTimeoutMs: 200 };

/** Writes `text` on a new connection to `url` and resolves to all the server sent until it closed. */
function sentUntilClosed(url: string, text: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    let received = '';
    const socket = connect(Number(port), hostname, () => socket.write(text));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
  });
}

const start = () => startServer({ port: 0, logLevel: 'silent', ...TIMEOUTS });

describe('HTTP timeouts', () => {
  test('a client that never finishes its headers gets a 408 and is disconnected', async () => {
    await using server = await start();
    const sent = await sentUntilClosed(
      server.url,
      'GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n',
    );
    expect(sent).toMatch(/^HTTP\/1\.1 408 /);
  });

  test('a client that never finishes its body gets a 408 and is disconnected', async () => {
    await using server = await start();
    const sent = await sentUntilClosed(
      server.url,
      'POST /api/v1/tasks?scope=slow HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
        'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"id":',
    );
    expect(sent).toMatch(/^HTTP\/1\.1 408 /);
    // Nothing was written, and the server still answers.
    expect(
      (await send(server.url, 'GET', '/tasks', { query: { scope: 'slow' } })).body,
    ).toMatchObject({ total: 0 });
  });

  test('an idle keep-alive connection is closed after its timeout', async () => {
    await using server = await start();
    const sent = await sentUntilClosed(
      server.url,
      'GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n',
    );
    expect(sent).toMatch(/^HTTP\/1\.1 200 /);
  });

  test('headers past 16 KiB get a 431 and the connection closes', async () => {
    await using server = await start();
    const sent = await sentUntilClosed(
      server.url,
      `GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: ${'x'.repeat(17 * 1024)}\r\n\r\n`,
    );
    expect(sent).toMatch(/^HTTP\/1\.1 431 /);
  });

  test('every header counts, however many come first: none is dropped unread', async () => {
    await using server = await start();
    const body = JSON.stringify({ id: 't-1', file_path: 't.md', branch: 'main', title: 't' });
    const filler = Array.from({ length: 2_000 }, (_, i) => `X${i}: a\r\n`).join('');
    const sent = await sentUntilClosed(
      server.url,
      `POST /api/v1/tasks?scope=headers HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${filler}` +
        `Content-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    expect(sent).toMatch(/^HTTP\/1\.1 415 /);
  });

  test('a long-poll claim waits past the request timeout: its wait follows the body', async () => {
    await using server = await start();
    const response = await send(server.url, 'POST', '/tasks/claim', {
      query: { scope: 'poll' },
      json: { ...claimant, wait_seconds: 1 },
    });
    expectError(response, 404, 'not_found');
  });

  test('a request timeout below the headers timeout, or a timeout that is not a positive integer, is refused at start', async () => {
    for (const options of [
      { headersTimeoutMs: 2_000, requestTimeoutMs: 1_000 },
      { headersTimeoutMs: 0 },
      { keepAliveTimeoutMs: 1.5 },
    ]) {
      await expect(startServer({ port: 0, logLevel: 'silent', ...options })).rejects.toThrow(
        TypeError,
      );
    }
  });
});
