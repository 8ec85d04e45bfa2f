// Holds HTTP responses to the OpenAPI document the API serves: the status must be one the
// operation declares, the content type one of its media types, and the body valid against that
// media type's schema (JSON Schema 2020-12, as OpenAPI 3.1 specifies).
import type { ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export interface OpenApiResponseObject {
  description?: string;
  content?: Record<string, { schema?: object }>;
}

export interface OpenApiOperationObject {
  summary?: string;
  parameters?: { name: string; in: string; required?: boolean }[];
  responses: Record<string, OpenApiResponseObject>;
}

export interface OpenApiDocumentObject {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, OpenApiOperationObject>>;
  components?: Record<string, unknown>;
}

/** What the contract reads of a response: light-my-request's and fetch's answers both fit. */
export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

/** The key the whole document is registered under, so that `$ref`s into components resolve. */
const DOCUMENT_ID = 'https://dateline.invalid/openapi.json';

/** A JSON Pointer segment (RFC 6901) as a URI fragment: `/api/v1/{id}` becomes `~1api~1v1~1%7Bid%7D`. */
const pointerSegment = (segment: string) => encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'));

/** `/api/v1/documents/{id}` as a regular expression matching `/api/v1/documents/42`. */
function templatePattern(template: string): RegExp {
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

const parameterCount = (template: string) => (template.match(/\{/g) ?? []).length;

export class OpenApiContract {
  private readonly ajv: InstanceType<typeof Ajv2020.default>;
  private readonly validators = new Map<string, ValidateFunction>();
  /** Templates with fewer parameters first: `/documents/by-path` wins over `/documents/{id}`. */
  private readonly templates: { template: string; pattern: RegExp }[];

  constructor(readonly document: OpenApiDocumentObject) {
    // Not strict: the document carries OpenAPI's own keywords (example, xml…) that JSON Schema ignores.
    this.ajv = new Ajv2020.default({ allErrors: true, strict: false });
    addFormats.default(this.ajv);
    this.ajv.addSchema(document as object, DOCUMENT_ID);
    this.templates = Object.keys(document.paths)
      .sort((a, b) => parameterCount(a) - parameterCount(b))
      .map((template) => ({ template, pattern: templatePattern(template) }));
  }

  /** The documented path template a concrete path belongs to, if any. */
  templateOf(path: string): string | undefined {
    return this.templates.find(({ pattern }) => pattern.test(path))?.template;
  }

  /**
   * Throws, saying what differs, unless the response is one the document describes.
   * @example contract.assertResponse('GET', '/api/v1/documents?page=2', response)
   */
  assertResponse(method: string, url: string, response: HttpResponse): void {
    const where = `${method} ${url} → ${response.statusCode}`;
    const path = new URL(url, 'http://localhost').pathname;
    const template = this.templateOf(path);
    if (!template) throw new Error(`${where}: the OpenAPI document has no path matching ${path}`);
    const operation = this.document.paths[template]?.[method.toLowerCase()];
    if (!operation) throw new Error(`${where}: the OpenAPI document has no ${method} operation on ${template}`);

    const status = String(response.statusCode);
    const declared = operation.responses[status] ?? operation.responses.default;
    if (!declared) {
      throw new Error(
        `${where}: status ${status} is not declared for ${method} ${template} (declared: ${Object.keys(operation.responses).join(', ')})`,
      );
    }

    const mediaTypes = Object.keys(declared.content ?? {});
    if (mediaTypes.length === 0) {
      if (response.body !== '') throw new Error(`${where}: declared without content, but the body is not empty`);
      return;
    }
    const contentType = String(response.headers['content-type'] ?? '')
      .split(';')[0]
      ?.trim()
      .toLowerCase();
    if (!contentType || !mediaTypes.includes(contentType)) {
      throw new Error(`${where}: content type "${contentType}" is not among the declared ${mediaTypes.join(', ')}`);
    }
    if (!declared.content?.[contentType]?.schema) return;

    let body: unknown;
    try {
      body = JSON.parse(response.body);
    } catch {
      throw new Error(`${where}: the body is not JSON: ${response.body.slice(0, 200)}`);
    }
    const validate = this.validator([
      'paths',
      template,
      method.toLowerCase(),
      'responses',
      status,
      'content',
      contentType,
    ]);
    if (!validate(body)) {
      const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).slice(0, 10);
      throw new Error(`${where}: the body does not match the declared schema:\n  ${errors.join('\n  ')}`);
    }
  }

  private validator(pointer: string[]): ValidateFunction {
    const key = `${DOCUMENT_ID}#/${[...pointer, 'schema'].map(pointerSegment).join('/')}`;
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile({ $ref: key });
      this.validators.set(key, validate);
    }
    return validate;
  }
}
