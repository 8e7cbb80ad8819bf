import { MAX_LIST_BYTES } from '@octopoid/api';

/**
 * How many of a page's leading rows fit the response-size budget, given each row's size in
 * characters of JSON (about): rows are kept while their running total stays within `budget`
 * (default `MAX_LIST_BYTES`), and the first row always, so a page never comes back empty while
 * rows remain. A list cut short this way answers with `limit` set to the count returned here.
 */
export function rowsWithinBudget(sizes: readonly number[], budget = MAX_LIST_BYTES): number {
  let total = 0;
  for (const [index, size] of sizes.entries()) {
    total += size;
    if (index > 0 && total > budget) return index;
  }
  return sizes.length;
}
