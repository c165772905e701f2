import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { OpenApiDocument } from '../modules/openapi/document';
import type { JsonResponse } from './harness';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM interop.
const addFormats =
  (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

export interface CheckedResponse {
  method: string;
  path: string;
  /** The document's path template the URL matched (`/api/orders/{id}`), or null. */
  template: string | null;
  status: number;
  errors: string[];
}

interface Route {
  template: string;
  pattern: RegExp;
  params: number;
}

const DOCUMENT_ID = 'openapi.json';

/**
 * Checks real responses against the OpenAPI document: the URL and method must be an operation of the document, the
 * status one of its responses (or its `default`), the content type the one described, and a JSON body must validate
 * against the response's schema (ajv, JSON Schema 2020-12, with formats). Used by openapi.int.test.ts on the
 * responses of a real flow.
 */
export class ResponseChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly routes: Route[];
  private readonly compiled = new Map<string, ValidateFunction>();
  readonly checked: CheckedResponse[] = [];

  constructor(private readonly document: OpenApiDocument) {
    addFormats(this.ajv);
    // The whole document is one schema resource, so `#/components/schemas/X` references resolve inside it.
    this.ajv.addSchema({ ...document, $id: DOCUMENT_ID }, DOCUMENT_ID);
    this.routes = Object.keys(document.paths).map((template) => {
      const source = template
        .split(/(\{[^}]+\})/)
        .map((part) => (part.startsWith('{') ? '([^/]+)' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
        .join('');
      return { template, pattern: new RegExp(`^${source}$`), params: (template.match(/\{/g) ?? []).length };
    });
  }

  /** The template a concrete path matches; a literal segment wins over a parameter (`orders.csv` over `{id}`). */
  templateOf(path: string): string | null {
    const pathname = path.split('?')[0] ?? path;
    const matches = this.routes.filter((route) => route.pattern.test(pathname));
    matches.sort((a, b) => a.params - b.params);
    return matches[0]?.template ?? null;
  }

  /** Checks one response; returns the problems found (none when it conforms) and records it. */
  check(method: string, path: string, response: JsonResponse<unknown>): string[] {
    const errors: string[] = [];
    const template = this.templateOf(path);
    const lower = method.toLowerCase();
    const operation = template
      ? (this.document.paths[template]?.[lower] as { responses: Record<string, ResponseObject> } | undefined)
      : undefined;
    if (!template || !operation) {
      errors.push(`${method} ${path} is not an operation of the document`);
    } else {
      const key = String(response.status) in operation.responses ? String(response.status) : 'default';
      const described = operation.responses[key];
      const pointer = `${DOCUMENT_ID}#/paths/${escapePointer(template)}/${lower}/responses/${key}`;
      if (!described) errors.push(`${method} ${template} has no response ${response.status} and no default`);
      else errors.push(...this.checkContent(described, pointer, response));
    }
    this.checked.push({ method, path, template, status: response.status, errors });
    return errors;
  }

  private checkContent(
    described: ResponseObject,
    pointer: string,
    response: JsonResponse<unknown>,
  ): string[] {
    const contentType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    if (!described.content) {
      return response.text === ''
        ? []
        : [`expected no body, got ${contentType}: ${response.text.slice(0, 200)}`];
    }
    const media = Object.keys(described.content);
    if (!media.includes(contentType))
      return [`content type ${contentType} is not one of ${media.join(', ')}`];
    if (contentType !== 'application/json' && !described.content[contentType]?.schema) return [];
    const schemaPointer = `${pointer}/content/${escapePointer(contentType)}/schema`;
    let validate = this.compiled.get(schemaPointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: schemaPointer });
      this.compiled.set(schemaPointer, validate);
    }
    const body: unknown = contentType === 'application/json' ? JSON.parse(response.text) : response.text;
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      (e) => `${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
    );
  }
}

interface ResponseObject {
  content?: Record<string, { schema?: unknown }>;
}

/** JSON Pointer escaping (RFC 6901), then URI-encoding for use in a `$ref`. */
function escapePointer(segment: string): string {
  return encodeURIComponent(segment.replaceAll('~', '~0').replaceAll('/', '~1'));
}
