import type { Services } from './domain/context.js';
import { sweepExpiredLeases } from './domain/tasks/lease.js';
import type { Logger } from './logger.js';

/** Runs the lease sweep every `intervalSeconds`, never two passes at once. */
export function startLeaseSweeper(services: Services, intervalSeconds: number, logger: Logger) {
  let running: Promise<void> | undefined;
  const pass = async () => {
    try {
      const expired = await sweepExpiredLeases(services);
      if (expired > 0) logger.info({ expired }, 'returned expired claims to their queues');
    } catch (err) {
      logger.error({ err }, 'lease sweep failed');
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
