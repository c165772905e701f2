import Router from '@koa/router';
import { NoQuery } from '@shop/contract';
import { parseQuery } from '../../http/validate';
import { renderDocsPage } from './docs-page';
import { buildOpenApiDocument } from './document';

/** `GET /api/openapi.json` and `GET /api/docs`: the API's description, built once per process. */
export function openApiRoutes(): Router {
  const router = new Router();
  const document = buildOpenApiDocument();
  const json = JSON.stringify(document);
  const page = renderDocsPage(document);

  router.get('/api/openapi.json', (ctx) => {
    parseQuery(ctx, NoQuery);
    ctx.type = 'application/json';
    ctx.body = json;
  });

  router.get('/api/docs', (ctx) => {
    parseQuery(ctx, NoQuery);
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = page;
  });

  return router;
}
