import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Logger } from './logger.js';
import { loadPostgresDriver } from './store/postgres-driver.js';

/** The LISTEN/NOTIFY channel on which instances announce a scope's writes. */
export const WAKEUP_CHANNEL = 'octopoid_scope_changed';
/** Wait before reconnecting a lost listening connection, in ms. */
const RECONNECT_MS = 1_000;

/**
 * Tells the other server instances on one PostgreSQL database which scopes changed, so a
 * long-poll claim waiting on any instance wakes on any instance's write. One dedicated
 * connection both listens and notifies (a pooled one would stop listening when returned).
 * Payloads are `<instance id> <scope>` (scope names hold no spaces); an instance ignores its
 * own. Announcements made while one is being sent are coalesced into a single statement.
 * A lost connection is reopened after RECONNECT_MS; waiters meanwhile rely on their re-check.
 */
export class PostgresWakeups {
  readonly #instance = randomUUID();
  readonly #pending = new Set<string>();
  #client: pg.Client | undefined;
  #sending = false;
  #closed = false;
  #reconnect: ReturnType<typeof setTimeout> | undefined;

  private constructor(
    private readonly driver: typeof pg,
    private readonly url: string,
    private readonly onRemoteChange: (scope: string) => void,
    private readonly logger: Logger,
  ) {}

  /**
   * Connects and listens before resolving, so no announcement made after start is missed.
   * @throws the connection error when the database cannot be reached at start.
   */
  static async start(
    url: string,
    onRemoteChange: (scope: string) => void,
    logger: Logger,
  ): Promise<PostgresWakeups> {
    const wakeups = new PostgresWakeups(await loadPostgresDriver(), url, onRemoteChange, logger);
    await wakeups.#connect();
    return wakeups;
  }

  /** Announces a committed write of `scope` to the other instances; never throws. */
  announce(scope: string): void {
    if (this.#closed) return;
    this.#pending.add(scope);
    if (!this.#sending) void this.#send();
  }

  /** Stops listening and closes the connection. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#reconnect);
    this.#pending.clear();
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }

  async #connect(): Promise<void> {
    const client = new this.driver.Client({ connectionString: this.url });
    client.on('notification', ({ payload = '' }) => {
      const space = payload.indexOf(' ');
      if (space > 0 && payload.slice(0, space) !== this.#instance) {
        this.onRemoteChange(payload.slice(space + 1));
      }
    });
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client));
    try {
      await client.connect();
      await client.query(`listen ${WAKEUP_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    if (this.#closed) await client.end().catch(() => {});
    else this.#client = client;
  }

  #lost(client: pg.Client, error?: Error): void {
    if (this.#closed || this.#client !== client) return;
    this.#client = undefined;
    this.logger.warn({ err: error }, 'lost the wake-up connection to PostgreSQL; reconnecting');
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    this.#reconnect = setTimeout(() => {
      this.#connect().catch(() => {
        if (!this.#closed) this.#scheduleReconnect();
      });
    }, RECONNECT_MS);
    this.#reconnect.unref();
  }

  async #send(): Promise<void> {
    this.#sending = true;
    try {
      while (this.#pending.size > 0 && this.#client) {
        const scopes = [...this.#pending].map((scope) => `${this.#instance} ${scope}`);
        this.#pending.clear();
        await this.#client
          .query('select pg_notify($1, payload) from unnest($2::text[]) as payload', [
            WAKEUP_CHANNEL,
            scopes,
          ])
          .catch((error: unknown) => this.logger.warn({ err: error }, 'wake-up notify failed'));
      }
    } finally {
      this.#sending = false;
    }
  }
}
