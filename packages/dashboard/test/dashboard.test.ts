import type { OctopoidSDK } from '@octopoid/sdk';
import { describe, startPrivateServer, test } from '@octopoid/testing/vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchChromium } from './browser.js';

/** Set by `npm run screenshot`: where the busy board's picture is written. */
const SCREENSHOT = process.env.OCTOPOID_DASHBOARD_SCREENSHOT;
const ADMIN_KEY = 'dashboard-admin-key-0123456789abcdef';

let browser: Browser;
const contexts: BrowserContext[] = [];
beforeAll(async () => {
  browser = await launchChromium();
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});
afterAll(async () => {
  await browser?.close();
});

/** A page with storage of its own (no key remembered), at `url`. */
async function openPage(url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1700, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(url);
  return page;
}

/** A fresh page on the board of `scope`, once the event stream is live. */
async function openBoard(serverUrl: string, scope: string): Promise<Page> {
  const page = await openPage(`${serverUrl}/ui?scope=${encodeURIComponent(scope)}`);
  await page.locator('[data-live="live"]').waitFor();
  return page;
}

const card = (page: Page, queue: string, id: string) =>
  page.locator(`[data-column="${queue}"] [data-task="${id}"]`);

const newTask = (id: string, extra: object = {}) => ({
  id,
  file_path: `tasks/${id}.md`,
  branch: 'main',
  ...extra,
});

const claim = (sdk: OctopoidSDK) =>
  sdk.tasks.claim({
    orchestrator_id: 'orch-1',
    agent_name: 'agent-7',
    lease_duration_seconds: 600,
  });

// One browser serves the file; its tests take turns so they do not starve the rest of the suite.
describe.sequential('the dashboard', { timeout: 60_000 }, () => {
  test('shows a task created over HTTP on the open board without reloading', async ({
    serverUrl,
    scopedSdk,
    expect,
  }) => {
    const page = await openBoard(serverUrl, scopedSdk.scope as string);
    // A reload would drop this: the card must arrive in the same document.
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    await scopedSdk.tasks.create(newTask('t-1', { title: 'Write the README', priority: 'P1' }));

    await card(page, 'incoming', 't-1').waitFor();
    expect(await card(page, 'incoming', 't-1').innerText()).toContain('Write the README');
    expect(await page.evaluate(() => 'sameDocument' in window)).toBe(true);
  });

  test('moves a claimed card to the claimed column with its claimant and lease', async ({
    serverUrl,
    scopedSdk,
    expect,
  }) => {
    await scopedSdk.tasks.create(newTask('t-1'));
    const page = await openBoard(serverUrl, scopedSdk.scope as string);
    await card(page, 'incoming', 't-1').waitFor();

    await claim(scopedSdk);

    const claimed = card(page, 'claimed', 't-1');
    await claimed.waitFor();
    expect(await card(page, 'incoming', 't-1').count()).toBe(0);
    expect(await claimed.locator('.claimant').innerText()).toBe('agent-7');
    expect(await claimed.locator('.lease').innerText()).toMatch(/^(9|10)m \d\ds left$/);
  });

  test('opens a task with every field, its history and its messages, kept up to date', async ({
    serverUrl,
    scopedSdk,
    expect,
  }) => {
    await scopedSdk.tasks.create(newTask('t-1', { role: 'implement' }));
    const page = await openBoard(serverUrl, scopedSdk.scope as string);
    await card(page, 'incoming', 't-1').click();
    const panel = page.locator('[data-panel-task="t-1"]');
    await panel.locator('[data-event="created"]').waitFor();
    expect(await panel.locator('table.fields th').allInnerTexts()).toEqual(
      expect.arrayContaining(['file_path', 'role', 'version', 'lease_expires_at']),
    );
    expect(page.url()).toContain('task=t-1');

    await claim(scopedSdk);
    await scopedSdk.messages.create({
      task_id: 't-1',
      from_actor: 'agent-7',
      type: 'question',
      content: 'Which branch?',
    });

    await panel.locator('[data-event="claimed"]').waitFor();
    await panel.getByText('Which branch?').waitFor();
    expect(await panel.locator('ol.history [data-event]').count()).toBe(2);
  });

  test("lists a task's proposed actions and asks for one's execution", async ({
    serverUrl,
    scopedSdk,
    expect,
  }) => {
    await scopedSdk.tasks.create(newTask('t-1'));
    const action = await scopedSdk.actions.create({
      entity_type: 'task',
      entity_id: 't-1',
      label: 'Rebase onto main',
      proposed_by: 'agent-7',
    });
    const page = await openBoard(serverUrl, scopedSdk.scope as string);
    await card(page, 'incoming', 't-1').click();
    const actions = page.locator('[data-panel-task="t-1"] ul.actions');
    await actions.getByText('Rebase onto main').waitFor();

    await actions.getByRole('button', { name: 'execute' }).click();

    await actions.getByText('execute_requested').waitFor();
    expect(await scopedSdk.actions.get(action.id)).toMatchObject({ status: 'execute_requested' });
  });

  test('marks a blocked task with the task that blocks it', async ({
    serverUrl,
    scopedSdk,
    expect,
  }) => {
    await scopedSdk.tasks.create(newTask('base'));
    await scopedSdk.tasks.create(newTask('follow-up', { blocked_by: 'base' }));
    const page = await openBoard(serverUrl, scopedSdk.scope as string);
    const blocked = card(page, 'incoming', 'follow-up');
    await blocked.waitFor();
    expect(await blocked.locator('.blocked-by').innerText()).toBe('blocked by base (incoming)');
    expect(await card(page, 'incoming', 'base').locator('.blocked-by').count()).toBe(0);
  });

  test("never shows another scope's task", async ({ serverUrl, scopedSdk, expect }) => {
    const other = scopedSdk.withScope(`${scopedSdk.scope}-other`);
    try {
      const page = await openBoard(serverUrl, scopedSdk.scope as string);
      await other.tasks.create(newTask('intruder'));
      await scopedSdk.tasks.create(newTask('own'));
      await card(page, 'incoming', 'own').waitFor();
      expect(await page.locator('[data-task="intruder"]').count()).toBe(0);
    } finally {
      await other.scopes.purge();
    }
  });

  test('lists scopes with their counts and opens one from the list', async ({
    serverUrl,
    scopedSdk,
    expect,
  }) => {
    await scopedSdk.tasks.create(newTask('t-1'));
    await scopedSdk.tasks.create(newTask('t-2'));
    const page = await openPage(`${serverUrl}/ui`);
    const row = page.locator(`tr[data-scope="${scopedSdk.scope}"]`);
    await row.waitFor();
    expect(await row.locator('td').nth(1).innerText()).toBe('2');

    await row.locator('a').click();
    await card(page, 'incoming', 't-2').waitFor();
    expect(new URL(page.url()).searchParams.get('scope')).toBe(scopedSdk.scope);
  });

  test('falls back to polling when the event stream is unavailable', async ({
    serverUrl,
    scopedSdk,
    scope,
  }) => {
    await scope.faults.add({ method: 'GET', path: '/api/v1/events', status: 503 });
    const page = await openPage(`${serverUrl}/ui?scope=${scope.name}`);
    await page.locator('[data-live="polling"]').waitFor();
    await scopedSdk.tasks.create(newTask('t-1'));
    await card(page, 'incoming', 't-1').waitFor();
  });

  test('asks for a key when the server requires one, and a scope key shows only its scope', async ({
    expect,
  }) => {
    await using server = await startPrivateServer({ auth: 'required', adminKey: ADMIN_KEY });
    const register = async (scope: string) => {
      const response = await fetch(`${server.url}/api/v1/orchestrators/register?scope=${scope}`, {
        method: 'POST',
        // On a server that requires keys, the admin key creates scopes; the first
        // registration in each issues the scope's own key.
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
        body: JSON.stringify({ cluster: 'prod', machine_id: 'm1', repo_url: 'r' }),
      });
      return ((await response.json()) as { api_key: string }).api_key;
    };
    const keyA = await register('team-a');
    await register('team-b');

    const page = await openPage(`${server.url}/ui`);
    await page.locator('input[name="api-key"]').fill(keyA);
    await page.getByRole('button', { name: 'Open' }).click();
    await page.locator('[data-scope-name="team-a"]').waitFor();
    await page.locator('[data-list="orchestrators"]').getByText('prod-m1').waitFor();
    expect(await page.locator('tr[data-scope]').count()).toBe(0);

    await page.getByRole('button', { name: 'forget key' }).click();
    await page.goto(`${server.url}/ui`);
    await page.locator('input[name="api-key"]').fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Open' }).click();
    await page.locator('tr[data-scope="team-b"]').waitFor();
    expect(await page.locator('tr[data-scope]').count()).toBe(2);
    // The page's event stream is a request in flight: end it before the server closes, whose
    // graceful close would otherwise wait for it.
    await page.context().close();
  });

  test('keeps every lane beside an open task, each header on one line, its details wrapped', async ({
    serverUrl,
    scopedSdk,
    expect,
  }) => {
    // One unbroken token far wider than the panel: only a forced break keeps it readable.
    const orchestrator = `orch-${'0123456789abcdef'.repeat(6)}`;
    await scopedSdk.flows.register('default', {
      states: ['incoming', 'claimed', 'provisional', 'qa', 'done', 'failed'],
      transitions: [],
    });
    await scopedSdk.tasks.create(newTask('t-1'));
    await scopedSdk.tasks.claim({ orchestrator_id: orchestrator, agent_name: 'agent-7' });
    const page = await openBoard(serverUrl, scopedSdk.scope as string);
    await card(page, 'claimed', 't-1').click();
    const panel = page.locator('[data-panel-task="t-1"]');
    await panel.locator('[data-event="claimed"] pre').waitFor();

    const measure = () =>
      page.evaluate(() => {
        const box = (element: Element) => element.getBoundingClientRect();
        const panelBox = box(document.querySelector('.panel') as Element);
        const board = document.querySelector('.board') as HTMLElement;
        const columns = Array.from(document.querySelectorAll<HTMLElement>('.column'), (column) => {
          const header = column.querySelector('h3') as HTMLElement;
          const count = box(header.querySelector('.count') as Element);
          const centre = { x: box(header).left + 4, y: box(header).top + count.height / 2 };
          return {
            name: column.dataset.column,
            besidePanel: box(column).right <= panelBox.left,
            headerLines: Math.round(box(header).height / count.height),
            countShown: count.left >= box(column).left && count.right <= box(column).right,
            onTop: header.contains(document.elementFromPoint(centre.x, centre.y)),
          };
        });
        const details = document.querySelector('[data-event="claimed"] pre') as HTMLElement;
        return {
          columns,
          boardScrolls: board.scrollWidth > board.clientWidth,
          detailsInside:
            details.scrollWidth <= details.clientWidth && box(details).right <= panelBox.right,
        };
      });
    const layout = await measure();

    const lanes = [
      'incoming',
      'claimed',
      'provisional',
      'needs_continuation',
      'qa',
      'done',
      'failed',
    ];
    expect(layout).toEqual({
      columns: lanes.map((name) => ({
        name,
        besidePanel: true,
        headerLines: 1,
        countShown: true,
        onTop: true,
      })),
      boardScrolls: false,
      detailsInside: true,
    });

    // Past the lanes' minimum width the board scrolls sideways, still beside the panel.
    await page.setViewportSize({ width: 1000, height: 900 });
    await page.locator('[data-column="incoming"]').hover();
    await page.mouse.wheel(2000, 0); // as a trackpad swipe or shift+wheel would
    await expect
      .poll(async () => (await measure()).columns.at(-1))
      .toEqual({
        name: 'failed',
        besidePanel: true,
        headerLines: 1,
        countShown: true,
        onTop: true,
      });
    expect(await panel.locator('[data-event="claimed"] pre').innerText()).toContain(orchestrator);
  });

  test('shows a busy scope: every lane, the side lists and an open task', async ({
    serverUrl,
    scopedSdk,
    expect,
  }) => {
    const sdk = scopedSdk;
    await sdk.orchestrators.register({ cluster: 'prod', machine_id: 'm1', repo_url: 'repo' });
    await sdk.projects.create({ id: 'docs', title: 'Documentation', branch: 'docs' });
    await sdk.drafts.create({ title: 'Retry policy for flaky hooks', author: 'sam' });
    await sdk.flows.register('default', {
      states: ['incoming', 'claimed', 'provisional', 'qa', 'done', 'failed'],
      transitions: [],
    });
    const tasks = [
      ['t-1', 'Write the README', 'P1', 'docs'],
      ['t-2', 'Add the dashboard screenshot', 'P2', 'docs'],
      ['t-3', 'Fence stale workers', 'P0', 'implement'],
      ['t-4', 'Backoff for returned tasks', 'P2', 'implement'],
      ['t-5', 'Keyset cursor for task lists', 'P3', 'implement'],
    ] as const;
    for (const [id, title, priority, role] of tasks) {
      await sdk.tasks.create(newTask(id, { title, priority, role }));
    }
    await sdk.tasks.create(
      newTask('t-6', { title: 'Release notes', priority: 'P2', blocked_by: 't-2' }),
    );
    await claim(sdk); // t-3
    await claim(sdk); // t-1
    await sdk.tasks.submit('t-1', { commits_count: 2, turns_used: 9 });
    await claim(sdk); // t-2
    await sdk.messages.create({
      task_id: 't-2',
      from_actor: 'agent-7',
      type: 'question',
      content: 'Light or dark theme for the picture?',
    });
    await sdk.actions.create({
      entity_type: 'task',
      entity_id: 't-2',
      label: 'Retake at 1700 px wide',
      proposed_by: 'reviewer',
    });

    const page = await openBoard(serverUrl, sdk.scope as string);
    await card(page, 'provisional', 't-1').waitFor();
    await card(page, 'claimed', 't-2').click();
    await page.locator('[data-panel-task="t-2"] [data-event="claimed"]').waitFor();
    expect(await page.locator('[data-column="qa"]').count()).toBe(1);
    expect(await page.locator('[data-list="drafts"]').innerText()).toContain('Retry policy');
    if (SCREENSHOT) await page.screenshot({ path: SCREENSHOT });
  });
});
