import { readFileSync } from 'node:fs';
import { PACKAGE_ROOT } from './package-root.js';

const manifest = JSON.parse(readFileSync(`${PACKAGE_ROOT}package.json`, 'utf8')) as {
  version: string;
};

export const SERVER_VERSION: string = manifest.version;
