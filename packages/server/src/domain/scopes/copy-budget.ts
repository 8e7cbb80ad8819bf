import { ApiError } from '../../errors.js';

/**
 * The default bound on the rows one clone or merge reads: 32 MiB of row text. Both run in one
 * transaction, and SQLite serves every request on one connection, so this bounds how long one
 * clone or merge can hold the whole server (about 1.5 s of copying on a small machine).
 */
export const DEFAULT_MAX_SCOPE_COPY_BYTES = 32 * 1024 * 1024;

/** The option that sets the bound, as a refusal names it. */
const OPTION = 'max-scope-copy-bytes';

/** A row's size as counted against the bound: the characters of its text, 8 per other value. */
function rowBytes(row: object): number {
  let bytes = 0;
  for (const value of Object.values(row)) bytes += typeof value === 'string' ? value.length : 8;
  return bytes;
}

/** Counts the rows a clone or merge reads, refusing the operation once they pass `maxBytes`. */
export class CopyBudget {
  #bytes = 0;

  /** `field` names the input a refusal points at (the source scope); `maxBytes` the bound. */
  constructor(
    private readonly field: string,
    private readonly maxBytes: number = DEFAULT_MAX_SCOPE_COPY_BYTES,
  ) {}

  /**
   * Counts `rows` against the bound.
   * @throws ApiError 413 `payload_too_large` naming `field` and the `max-scope-copy-bytes`
   *   option once the rows read so far pass it; the caller's transaction then rolls back.
   */
  take(rows: readonly object[]): void {
    for (const row of rows) this.#bytes += rowBytes(row);
    if (this.#bytes <= this.maxBytes) return;
    throw new ApiError(
      'payload_too_large',
      `the scope holds more than ${this.maxBytes} bytes of rows, the most one clone or merge ` +
        `copies (${OPTION}); nothing was written`,
      [
        {
          field: this.field,
          reason: `holds more than ${this.maxBytes} bytes of rows (${OPTION}): split the scope, or raise the limit`,
        },
      ],
    );
  }
}
