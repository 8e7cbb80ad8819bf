import { everyPage } from '@octopoid/testing';
import { describe, expect, test } from 'vitest';

const ROWS = Array.from({ length: 7 }, (_, i) => i);

/** A list of `ROWS` paged by `size`, whose size budget cuts every page to at most `budget` rows. */
const pager = (size: number, budget = size) => {
  const offsets: number[] = [];
  const read = async (offset: number) => {
    offsets.push(offset);
    const rows = ROWS.slice(offset, offset + Math.min(size, budget));
    const cut = rows.length < size && offset + rows.length < ROWS.length;
    return { rows, total: ROWS.length, offset, limit: cut ? rows.length : size };
  };
  return { offsets, read };
};

describe('everyPage', () => {
  test('reads from offset 0 until total rows are covered, each page once', async () => {
    const { offsets, read } = pager(3);
    const pages = await everyPage(read);
    expect(offsets).toEqual([0, 3, 6]);
    expect(pages.flatMap((page) => page.rows)).toEqual(ROWS);
  });

  test('a page the size budget cut is followed from its own limit, leaving no gap', async () => {
    const { offsets, read } = pager(5, 2);
    expect((await everyPage(read)).flatMap((page) => page.rows)).toEqual(ROWS);
    expect(offsets).toEqual([0, 2, 4, 6]);
  });

  test('an empty list is one empty page', async () => {
    const pages = await everyPage(async (offset) => ({ rows: [], total: 0, offset, limit: 500 }));
    expect(pages).toEqual([{ rows: [], total: 0, offset: 0, limit: 500 }]);
  });
});
