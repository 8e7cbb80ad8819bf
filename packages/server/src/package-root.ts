import { fileURLToPath } from 'node:url';

/**
 * This package's folder (`packages/server/`), with a trailing separator. Found from this
 * module's place one level under it (`src/`, `dist/`), which the bundled CLI
 * (`dist/cli.bundle.js`) shares, so files are found the same way bundled or not.
 */
export const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));
