import type { JsonSchema, OpenApiDocument } from './document';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** `code` spans for the document's backticks; everything else escaped. */
function inline(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function json(value: unknown): string {
  return `<pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre>`;
}

/** A schema shown by its component's name (linked) when it is one, or in full. */
function schemaRef(schema: unknown): string {
  const ref = (schema as { $ref?: string } | undefined)?.$ref;
  if (ref) {
    const name = ref.split('/').pop() ?? ref;
    return `<a href="#schema-${escapeHtml(name)}">${escapeHtml(name)}</a>`;
  }
  return `<details><summary>schema</summary>${json(schema)}</details>`;
}

function operationHtml(method: string, path: string, operation: JsonSchema): string {
  const parameters = (operation.parameters as JsonSchema[] | undefined) ?? [];
  const rows = parameters
    .map(
      (p) =>
        `<tr><td><code>${escapeHtml(String(p.name))}</code></td><td>${escapeHtml(String(p.in))}</td><td>${
          p.required ? 'required' : 'optional'
        }</td><td>${schemaRef(p.schema)}</td></tr>`,
    )
    .join('');
  const body = operation.requestBody as { content: Record<string, { schema: unknown }> } | undefined;
  const bodyHtml = body
    ? Object.entries(body.content)
        .map(([type, media]) => `<p>Body (<code>${escapeHtml(type)}</code>): ${schemaRef(media.schema)}</p>`)
        .join('')
    : '';
  const responses = Object.entries(operation.responses as Record<string, JsonSchema>)
    .map(([status, response]) => {
      const content = response.content as Record<string, { schema: unknown }> | undefined;
      const media = content
        ? Object.entries(content)
            .map(([type, m]) => ` <code>${escapeHtml(type)}</code> ${schemaRef(m.schema)}`)
            .join('')
        : '';
      return `<li><b>${escapeHtml(status)}</b> ${inline(String(response.description))}${media}</li>`;
    })
    .join('');
  const id = escapeHtml(String(operation.operationId));
  return `<section class="op" id="${id}">
<h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
<p>${inline(String(operation.summary))}</p>
<p class="who">${inline(typeof operation.description === 'string' ? operation.description : '')}</p>
${rows ? `<table><tr><th>parameter</th><th>in</th><th></th><th>schema</th></tr>${rows}</table>` : ''}
${bodyHtml}
<ul>${responses}</ul>
</section>`;
}

/**
 * The document as a page to read at /api/docs: rendered on the server from the same document, with no script and
 * no outside resource, so it needs nothing from a CDN and passes the API's content security policy (one `<style>`
 * element, which the policy's `style-src 'unsafe-inline'` allows).
 */
export function renderDocsPage(document: OpenApiDocument): string {
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const tag = (operation.tags as string[])[0] ?? 'other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), operationHtml(method, path, operation)]);
    }
  }
  const sections = [...byTag]
    .map(([tag, ops]) => `<h2 id="tag-${escapeHtml(tag)}">${escapeHtml(tag)}</h2>${ops.join('\n')}`)
    .join('\n');
  const toc = [...byTag.keys()]
    .map((tag) => `<a href="#tag-${escapeHtml(tag)}">${escapeHtml(tag)}</a>`)
    .join(' · ');
  const schemas = Object.entries(document.components.schemas)
    .map(
      ([name, schema]) =>
        `<details id="schema-${escapeHtml(name)}"><summary>${escapeHtml(name)}</summary>${json(schema)}</details>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(document.info.title)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:0 auto;padding:1rem 1.5rem;color:#1f2329}
code,pre{font:13px ui-monospace,monospace}pre{background:#f5f6f7;padding:.5rem;overflow:auto}
.op{border-top:1px solid #e5e6eb;padding:.25rem 0}.who{color:#646a73}
.method{display:inline-block;min-width:4.5em;font-size:12px;color:#fff;border-radius:3px;text-align:center;padding:1px 4px}
.get{background:#1677ff}.post{background:#00a870}.put{background:#d48806}.patch{background:#7f3bf5}.delete{background:#e34d59}
table{border-collapse:collapse}td,th{border:1px solid #e5e6eb;padding:2px 6px;text-align:left;vertical-align:top}
</style></head><body>
<h1>${escapeHtml(document.info.title)}</h1>
<p>${inline(document.info.description)}</p>
<p>OpenAPI ${escapeHtml(document.openapi)}: <a href="/api/openapi.json">/api/openapi.json</a></p>
<nav>${toc} · <a href="#schemas">schemas</a></nav>
${sections}
<h2 id="schemas">Schemas</h2>
${schemas}
</body></html>
`;
}
