/** The paging fields of every list answer: `total` rows, this page's `offset` and `limit`. */
export interface ListPage {
  total: number;
  offset: number;
  /** The rows this page holds when the server's size budget cut it, else the size asked for. */
  limit: number;
}

/**
 * Every page of a list, in order: `read(offset)` fetches the page at `offset` (0 first), and the
 * next starts at `offset + limit` until `total` rows are covered, the paging rule of the API's
 * lists. Join the pages' rows for the whole list: `(await everyPage((offset) =>
 * sdk.scopes.page({ offset }))).flatMap((page) => page.scopes)`. Rows added or removed between
 * reads can shift what the next page holds. Rejects with whatever `read` rejects with.
 */
export async function everyPage<Page extends ListPage>(
  read: (offset: number) => Promise<Page>,
): Promise<Page[]> {
  let page = await read(0);
  const pages = [page];
  while (page.offset + page.limit < page.total) {
    page = await read(page.offset + page.limit);
    pages.push(page);
  }
  return pages;
}
