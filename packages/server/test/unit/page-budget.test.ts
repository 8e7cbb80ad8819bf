import { describe, expect, test } from '@octopoid/testing/vitest';
import { rowsWithinBudget } from '../../src/store/page-budget.js';

describe('rowsWithinBudget', () => {
  test('keeps leading rows while their running total stays within the budget', () => {
    expect(rowsWithinBudget([4, 3, 3, 1], 10)).toBe(3);
    expect(rowsWithinBudget([4, 3, 4], 10)).toBe(2);
    expect(rowsWithinBudget([1, 1, 1], 10)).toBe(3);
  });

  test('always keeps the first row, so a page is never empty while rows remain', () => {
    expect(rowsWithinBudget([50, 1], 10)).toBe(1);
    expect(rowsWithinBudget([], 10)).toBe(0);
  });
});
