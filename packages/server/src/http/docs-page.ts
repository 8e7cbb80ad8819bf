import { HTTP_METHODS, type OpenApiDocument } from './openapi.js';

type Operation = NonNullable<NonNullable<OpenApiDocument['paths']>[string]['get']>;
type Parameter = NonNullable<Operation['parameters']>[number];
type MediaTypes = Record<string, { schema?: unknown }> | undefined;

const COMPONENT_PREFIX = '#/components/schemas/';
const SCHEMA_REF = /"\$ref": "#\/components\/schemas\/([^"]+)"/;

const STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem 2rem; color: #1d1d1f; }
code, pre { font: 13px/1.4 ui-monospace, monospace; }
pre { background: #f5f5f7; padding: .6rem .8rem; overflow-x: auto; border-radius: 4px; }
section.route { border-top: 1px solid #d2d2d7; padding-top: .5rem; margin-top: 1.5rem; }
.method { display: inline-block; min-width: 4.5rem; font-weight: 700; text-transform: uppercase; }
.get { color: #0a7d32; } .post { color: #0550ae; } .put, .patch { color: #8a5a00; } .delete { color: #b3261e; }
table { border-collapse: collapse; } td, th { text-align: left; padding: .2rem .8rem .2rem 0; vertical-align: top; }
nav li { list-style: none; } nav ul { padding-left: 0; }
`;

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (char) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );

const operationAnchor = (method: string, path: string) =>
  `op-${method}-${path.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
const schemaAnchor = (name: string) => `schema-${name.replace(/[^A-Za-z0-9_.-]/g, '-')}`;

const schemaLink = (name: string) => `<a href="#${schemaAnchor(name)}">${escapeHtml(name)}</a>`;

/** A schema as indented JSON, each reference to a named schema a link to it. */
function schemaBlock(schema: unknown): string {
  const ref = (schema as { $ref?: unknown } | undefined)?.$ref;
  if (typeof ref === 'string' && ref.startsWith(COMPONENT_PREFIX)) {
    if (Object.keys(schema as object).length === 1) {
      return `<p>${schemaLink(ref.slice(COMPONENT_PREFIX.length))}</p>`;
    }
  }
  // split() with a capturing group alternates text and the captured schema names.
  const parts = JSON.stringify(schema ?? {}, null, 2).split(SCHEMA_REF);
  const html = parts.map((part, i) =>
    i % 2 === 0 ? escapeHtml(part) : `"$ref": ${schemaLink(part)}`,
  );
  return `<pre>${html.join('')}</pre>`;
}

function contentBlocks(content: MediaTypes): string {
  return Object.entries(content ?? {})
    .map(([type, media]) => `<p><code>${escapeHtml(type)}</code></p>\n${schemaBlock(media.schema)}`)
    .join('');
}

function parametersTable(parameters: Parameter[]): string {
  const rows = parameters
    .map((parameter) => {
      if ('$ref' in parameter) return `<tr><td colspan="4">${schemaBlock(parameter)}</td></tr>`;
      const schema = escapeHtml(JSON.stringify(parameter.schema ?? {}));
      return `<tr><td><code>${escapeHtml(parameter.name)}</code></td><td>${parameter.in}</td><td>${
        parameter.required ? 'required' : 'optional'
      }</td><td><code>${schema}</code></td></tr>`;
    })
    .join('');
  return `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th></th><th>schema</th></tr>${rows}</table>`;
}

function operationSection(method: string, path: string, operation: Operation): string {
  const parts = [
    `<section class="route" id="${operationAnchor(method, path)}">`,
    `<h3><span class="method ${method}">${method}</span> <code>${escapeHtml(path)}</code></h3>`,
    `<p>${escapeHtml(operation.summary ?? '')}</p>`,
  ];
  if (operation.parameters?.length) parts.push(parametersTable(operation.parameters));
  const body = operation.requestBody;
  if (body && 'content' in body) {
    parts.push(
      `<h4>Request body (${body.required ? 'required' : 'optional'})</h4>`,
      contentBlocks(body.content),
    );
  }
  parts.push('<h4>Responses</h4>');
  for (const [status, response] of Object.entries(operation.responses ?? {})) {
    const described = response as { description?: string; content?: MediaTypes };
    parts.push(
      `<p><strong>${escapeHtml(status)}</strong> ${escapeHtml(described.description ?? '')}</p>`,
      contentBlocks(described.content),
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}

/**
 * The API reference as one self-contained HTML page: every route with its method, path,
 * summary, parameters, request and response schemas, then every named schema. It loads nothing:
 * no script, no stylesheet, no font.
 */
export function renderDocsPage(document: OpenApiDocument): string {
  const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    HTTP_METHODS.flatMap((method) => {
      const operation = item[method];
      return operation ? [{ method, path, operation }] : [];
    }),
  );
  const toc = operations
    .map(
      ({ method, path, operation }) =>
        `<li><a href="#${operationAnchor(method, path)}"><span class="method ${method}">${method}</span> <code>${escapeHtml(path)}</code></a> ${escapeHtml(operation.summary ?? '')}</li>`,
    )
    .join('\n');
  const schemas = Object.entries(document.components?.schemas ?? {})
    .map(
      ([name, schema]) =>
        `<section id="${schemaAnchor(name)}"><h3>${escapeHtml(name)}</h3>${schemaBlock(schema)}</section>`,
    )
    .join('\n');
  const { title, version, description } = document.info;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} ${escapeHtml(version)} API</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)} <small>${escapeHtml(version)}</small></h1>
<p>${escapeHtml(description ?? '')}</p>
<p>Machine-readable: <a href="openapi.json"><code>/openapi.json</code></a> (OpenAPI ${escapeHtml(document.openapi)}).</p>
<h2>Routes</h2>
<nav><ul>
${toc}
</ul></nav>
${operations.map(({ method, path, operation }) => operationSection(method, path, operation)).join('\n')}
<h2>Schemas</h2>
${schemas}
</body>
</html>
`;
}
