import type { Compilable, CompiledQuery } from 'kysely';
import { executeNamed } from './named-statements.js';
import type { Db, Dialect } from './store.js';

/**
 * Hot queries built and compiled by Kysely once per dialect, then run by filling in their
 * parameters. Kysely stays the one source of the SQL: the builder runs once with a unique sentinel
 * value in each named slot, the compiled parameters are searched for the sentinels, and every
 * later run copies the compiled parameters with the caller's values at the slots' positions.
 * Building and compiling a query through Kysely's builder costs far more than the statement
 * itself on a short transition.
 */

/** A query's slot values by slot name. */
export type SlotValues = Record<string, unknown>;

/**
 * A builder refused when compiled: a slot's sentinel must reach the compiled parameters exactly
 * once and unchanged, or filling it in later would be wrong.
 */
export class QueryShapeError extends Error {
  constructor(
    readonly slot: string,
    readonly reason: string,
  ) {
    super(`compiled query slot ${slot}: ${reason}`);
    this.name = 'QueryShapeError';
  }
}

/** A query of one shape, compiled once per dialect. */
export interface CompiledShape<P extends SlotValues, R> {
  /** The query for `db`'s dialect with `values` in its slots. @throws QueryShapeError (first use) */
  compile(db: Db, values: P): CompiledQuery<R>;
  /** Runs it through `executeNamed` (a named statement on PostgreSQL); resolves its rows. */
  run(db: Db, values: P): Promise<R[]>;
}

/** A compiled query and where each slot's value goes among its parameters. */
interface Template {
  query: CompiledQuery;
  positions: (readonly [slot: string, index: number])[];
}

const SENTINEL_PREFIX = '\u0000octopoid-slot\u0000';

/**
 * Compiles `build`'s query with sentinels in its slots (every property of `slots` it reads).
 * @throws QueryShapeError when a sentinel read does not appear among the parameters exactly once
 *   (the builder computed with it, inlined it, or used it twice)
 */
function compileTemplate<P extends SlotValues, R>(
  db: Db,
  build: (db: Db, slots: P) => Compilable<R>,
): Template {
  const sentinels = new Map<string, string>();
  const slots = new Proxy({} as P, {
    get(_, slot) {
      if (typeof slot !== 'string') return undefined;
      const sentinel = `${SENTINEL_PREFIX}${slot}`;
      sentinels.set(sentinel, slot);
      return sentinel;
    },
  });
  const query = build(db, slots).compile() as CompiledQuery;
  const found = new Map<string, number>();
  query.parameters.forEach((parameter, index) => {
    const slot = typeof parameter === 'string' ? sentinels.get(parameter) : undefined;
    if (slot === undefined) return;
    if (found.has(slot)) throw new QueryShapeError(slot, 'appears more than once; use two slots');
    found.set(slot, index);
  });
  for (const slot of sentinels.values()) {
    if (!found.has(slot)) {
      throw new QueryShapeError(
        slot,
        'does not reach the parameters unchanged (computed with or inlined)',
      );
    }
  }
  if (query.sql.includes(SENTINEL_PREFIX)) {
    throw new QueryShapeError([...sentinels.values()].join(', '), 'is inlined in the SQL text');
  }
  return { query, positions: [...found] };
}

/**
 * A query whose SQL does not vary with its input: `build` receives `slots`, whose every property
 * it reads stands for the value of that name given at each run, and must hand each one to Kysely
 * as a value, once, without computing with it (a value needed twice takes two slots).
 */
export function compiledQuery<P extends SlotValues, R>(
  build: (db: Db, slots: P) => Compilable<R>,
): CompiledShape<P, R> {
  const templates = new Map<Dialect, Template>();
  const compile = (db: Db, values: P): CompiledQuery<R> => {
    const { dialect } = db.capabilities;
    let template = templates.get(dialect);
    if (!template) {
      template = compileTemplate(db, build);
      templates.set(dialect, template);
    }
    const parameters = template.query.parameters.slice();
    for (const [slot, index] of template.positions) parameters[index] = values[slot];
    return { ...template.query, parameters } as CompiledQuery<R>;
  };
  return { compile, run: (db, values) => executeNamed(db, compile(db, values)) };
}

/** Shapes kept per family; a family past it forgets its least recently used shape. */
const MAX_SHAPES = 64;

/**
 * Queries whose SQL varies with part of their input (`key`: the columns set, a list's length):
 * one `compiledQuery` per distinct `keyText(key)`, built by `build` with that key. Resolves the
 * shape for a key.
 */
export function compiledQueries<K, P extends SlotValues, R>(
  keyText: (key: K) => string,
  build: (db: Db, slots: P, key: K) => Compilable<R>,
): (key: K) => CompiledShape<P, R> {
  const shapes = new Map<string, CompiledShape<P, R>>();
  return (key) => {
    const text = keyText(key);
    let shape = shapes.get(text);
    if (shape) {
      shapes.delete(text);
    } else {
      shape = compiledQuery((db, slots: P) => build(db, slots, key));
      if (shapes.size >= MAX_SHAPES) shapes.delete(shapes.keys().next().value as string);
    }
    shapes.set(text, shape);
    return shape;
  };
}

/** The columns of `row` that hold a value (Kysely leaves `undefined` ones out of the SQL). */
export function definedColumns<T extends object>(row: T): (keyof T & string)[] {
  return (Object.keys(row) as (keyof T & string)[]).filter((column) => row[column] !== undefined);
}

/**
 * Slots for a builder nested in a larger query: the slot `name` read from the result is
 * `${prefix}${name}` of `slots`, so two builders reading the same names do not collide. Pair it
 * with `prefixedValues` of the same prefix.
 */
export function slotsUnder(slots: SlotValues, prefix: string): SlotValues {
  return new Proxy(
    {},
    { get: (_, name) => (typeof name === 'string' ? slots[`${prefix}${name}`] : undefined) },
  );
}

/** `values` named for `slotsUnder(slots, prefix)`. */
export function prefixedValues(prefix: string, values: SlotValues): SlotValues {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [`${prefix}${name}`, value]),
  );
}
