import { forgetIdleTestState, type Services } from './domain/context.js';
import { markStaleOrchestratorsOffline } from './domain/orchestrators/liveness.js';
import { purgeInactiveScopes, type ScopeTtlRule } from './domain/scopes/ttl.js';
import { forgetExpiredClaims } from './domain/tasks/claim-replays.js';
import { sweepExpiredLeases } from './domain/tasks/lease.js';
import type { Logger } from './logger.js';

/**
 * Runs the background sweep every `intervalSeconds`, never two passes at once: the server's
 * clock is re-synchronised with the database's (`syncClock`), expired leases
 * go back to their queues, silent orchestrators go offline, claim idempotency keys past their
 * window are forgotten, idle test-mode state is freed,
 * inactive scopes under a time-to-live rule are purged.
 */
export function startBackgroundSweep(
  services: Services,
  intervalSeconds: number,
  logger: Logger,
  scopeTtl: readonly ScopeTtlRule[] = [],
  syncClock: () => Promise<void> = async () => {},
) {
  let running: Promise<void> | undefined;
  const pass = async () => {
    try {
      await syncClock();
      const expired = await sweepExpiredLeases(services);
      if (expired > 0) logger.info({ expired }, 'returned expired claims to their queues');
      const offline = await markStaleOrchestratorsOffline(services);
      if (offline > 0) logger.info({ offline }, 'marked silent orchestrators offline');
      const replays = await forgetExpiredClaims(services);
      if (replays > 0) logger.info({ replays }, 'forgot claim idempotency keys past their window');
      const idle = forgetIdleTestState(services);
      if (idle.length > 0) logger.info({ scopes: idle.length }, 'freed idle test-mode state');
    } catch (err) {
      logger.error({ err }, 'lease sweep failed');
    }
    if (scopeTtl.length === 0) return;
    try {
      const purged = await purgeInactiveScopes(services, scopeTtl);
      if (purged.length > 0) logger.info({ scopes: purged }, 'purged inactive scopes');
    } catch (err) {
      logger.error({ err }, 'scope time-to-live sweep failed');
    }
  };
  const timer = setInterval(() => {
    running ??= pass().finally(() => {
      running = undefined;
    });
  }, intervalSeconds * 1000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
