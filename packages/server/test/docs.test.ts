import { describe, expect, test } from '@octopoid/testing/vitest';

interface Operation {
  summary?: string;
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

/** The page as a reader sees it: tags dropped, entities decoded, whitespace collapsed. */
const visibleText = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity)
    .replace(/\s+/g, ' ');

async function documentAndPage(serverUrl: string) {
  const document = (await (await fetch(`${serverUrl}/openapi.json`)).json()) as OpenApiDocument;
  const response = await fetch(`${serverUrl}/docs`);
  return { document, response, html: await response.text() };
}

describe('GET /docs', () => {
  test('lists every route of the OpenAPI document with its method, path and summary', async ({
    serverUrl,
  }) => {
    const { document, html } = await documentAndPage(serverUrl);
    const text = visibleText(html);
    const missing = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method, operation]) => !text.includes(`${method} ${path} ${operation.summary}`))
        .map(([method]) => `${method} ${path}`),
    );
    expect(missing).toEqual([]);
  });

  test('shows every named schema, and links each route’s request schema to it', async ({
    serverUrl,
  }) => {
    const { document, html } = await documentAndPage(serverUrl);
    for (const name of Object.keys(document.components.schemas)) {
      expect(html).toContain(`<section id="schema-${name}"><h3>${name}</h3><pre>`);
    }
    const createTask = document.paths['/api/v1/tasks']?.post?.requestBody;
    expect(createTask?.content['application/json']?.schema.$ref).toBe(
      '#/components/schemas/TaskCreate',
    );
    expect(html).toContain('<a href="#schema-TaskCreate">TaskCreate</a>');
    expect(visibleText(html)).toContain('"file_path": { "type": "string", "minLength": 1');
  });

  test('is self-contained: no script, nothing loaded from elsewhere', async ({ serverUrl }) => {
    const { response, html } = await documentAndPage(serverUrl);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|@import|url\(/i);
    const links = [...html.matchAll(/href="([^"]*)"/g)].map(([, href]) => href);
    expect(links.filter((href) => !href?.startsWith('#') && href !== 'openapi.json')).toEqual([]);
  });
});
