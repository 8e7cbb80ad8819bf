import { describe, test } from '@octopoid/testing/vitest';

describe('GET /ui', () => {
  test('serves the dashboard page under a same-origin policy, with its built assets', async ({
    serverUrl,
    expect,
  }) => {
    const page = await fetch(`${serverUrl}/ui?scope=anything`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="(\/ui\/assets\/[^"]+)"/g)].map(([, a]) => a);
    expect(assets.map((asset) => asset?.split('.').pop()).sort()).toEqual(['css', 'js']);
    for (const asset of assets) {
      const response = await fetch(`${serverUrl}${asset}`);
      expect(response.status, asset).toBe(200);
    }
    expect((await fetch(`${serverUrl}/ui/`)).status).toBe(200);
  });

  test('answers a missing asset with the usual 404 body', async ({ serverUrl, expect }) => {
    const response = await fetch(`${serverUrl}/ui/assets/missing.js`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'not_found' });
  });
});
