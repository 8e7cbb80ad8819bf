import { createHash, randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import anyAscii from 'any-ascii';

/** Where a test lives: its file, the describe blocks around it, and its own name. */
export interface TestIdentity {
  /** The test file's path; only its name without `.test.ts` is used. */
  file?: string | undefined;
  /** Names of the enclosing describe blocks, outermost first. */
  describePath?: readonly string[] | undefined;
  name: string;
}

/**
 * Scope names allow 128 characters (`SCOPE_NAME_PATTERN` of `@octopoid/api`); a test's scope
 * takes at most 96, leaving room for scopes tests derive from it (`${scope}.neighbour`).
 */
export const MAX_TEST_SCOPE_LENGTH = 96;
const PREFIX = 'test-';
const SUFFIX_BYTES = 5;
/** Room for the readable part: the prefix, a dash and the random hex suffix are fixed. */
const READABLE_LENGTH = MAX_TEST_SCOPE_LENGTH - PREFIX.length - 1 - SUFFIX_BYTES * 2;
const ELISION_HASH_LENGTH = 6;

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/** Latin, lowercase, dashes for anything else; non-Latin scripts are transliterated. */
function slug(text: string): string {
  return anyAscii(text)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
}

const fileStem = (file: string) => basename(file).replace(/\.(test|spec)\.[cm]?[jt]sx?$/, '');

/**
 * Fits `readable` in `length` keeping its start and its end (where names of similar tests
 * differ), with a short hash of the whole in place of the dropped middle so that names cut
 * alike stay told apart.
 */
function elide(readable: string, length: number): string {
  if (readable.length <= length) return readable;
  const marker = `.${digest(readable).slice(0, ELISION_HASH_LENGTH)}.`;
  const head = Math.ceil((length - marker.length) / 2);
  const tail = length - marker.length - head;
  return `${readable.slice(0, head)}${marker}${readable.slice(readable.length - tail)}`;
}

/**
 * A unique scope for one test: `test-<file>.<describe…>.<name>-<random hex>` (dots, not colons,
 * so the name needs no escaping in a URL path), every part
 * transliterated to Latin and lowercased, the whole within {@link MAX_TEST_SCOPE_LENGTH} characters (a
 * long path keeps its start and end around a hash of the rest). A name with nothing transliterable
 * becomes a hash of itself. The random suffix keeps tests of the same name (and retries) apart.
 */
export function scopeForTest(test: string | TestIdentity): string {
  const identity = typeof test === 'string' ? { name: test } : test;
  const parts = [
    ...(identity.file ? [fileStem(identity.file)] : []),
    ...(identity.describePath ?? []),
    identity.name,
  ];
  const readable =
    parts.map(slug).filter(Boolean).join('.') || `h${digest(parts.join('\n')).slice(0, 12)}`;
  return `${PREFIX}${elide(readable, READABLE_LENGTH)}-${randomBytes(SUFFIX_BYTES).toString('hex')}`;
}
