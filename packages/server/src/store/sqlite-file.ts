import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseLocationError } from './location.js';

/** How a refusal names the setting at fault and the way to have the folder created. */
export interface SqliteFileNaming {
  /** The setting that gave the path: `--db`, `OCTOPOID_DATABASE`, `database`. */
  source: string;
  /** What to pass so a missing folder is created: `--create-db-dir`, `createDatabaseDir: true`. */
  createDirHint: string;
}

/**
 * Makes sure the SQLite file at `path` (absolute) can be opened for writing before anything is
 * created or migrated: its folder exists (created only when `createDir`), the file, if present,
 * is a readable and writable regular file, and the folder is writable (SQLite's WAL mode keeps
 * `-wal` and `-shm` files beside the database).
 *
 * @throws DatabaseLocationError naming `naming.source` and the path.
 */
export function prepareSqliteFile(path: string, createDir: boolean, naming: SqliteFileNaming) {
  const refuse = (why: string): never => {
    throw new DatabaseLocationError(`${naming.source} ${path}: ${why}`);
  };
  const folder = dirname(path);
  if (!existsSync(folder)) {
    if (!createDir) {
      refuse(`folder ${folder} does not exist; create it, or pass ${naming.createDirHint}`);
    }
    try {
      mkdirSync(folder, { recursive: true });
    } catch (error) {
      refuse(`cannot create folder ${folder} (${(error as NodeJS.ErrnoException).code})`);
    }
  }
  if (!statSync(folder).isDirectory()) refuse(`${folder} is not a folder`);
  if (existsSync(path)) {
    if (!statSync(path).isFile()) refuse('is not a file');
    if (!accessible(path, constants.R_OK | constants.W_OK)) {
      refuse('the database file is read-only; the server needs to write to it');
    }
  }
  if (!accessible(folder, constants.W_OK)) {
    refuse(`folder ${folder} is not writable; the server keeps its journal files there`);
  }
}

function accessible(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}
