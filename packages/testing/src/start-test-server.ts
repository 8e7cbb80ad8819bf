import { type LogLevel, startServer } from '@octopoid/server';

export interface TestServerOptions {
  /** `:memory:` (default), a SQLite file, or a `postgres://` URL. */
  database?: string;
  /** Default `silent`: test output stays readable. */
  logLevel?: LogLevel;
  /** Seconds between lease sweeps. Default 1. */
  leaseSweepSeconds?: number;
}

export interface TestServer {
  url: string;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts the real server in this process on a free loopback port, with the real migrations. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    database: options.database ?? ':memory:',
    logLevel: options.logLevel ?? 'silent',
    leaseSweepSeconds: options.leaseSweepSeconds ?? 1,
  });
  return { url: server.url, close: server.close, [Symbol.asyncDispose]: server.close };
}
