import { randomBytes } from 'node:crypto';

/** Server-made ids in the reference format: `<prefix>-<epoch ms>-<6 base36 characters>`. */
export function newId(prefix: 'msg' | 'act', now: Date): string {
  const suffix = randomBytes(8).readBigUInt64BE().toString(36).slice(-6).padStart(6, '0');
  return `${prefix}-${now.getTime()}-${suffix}`;
}
