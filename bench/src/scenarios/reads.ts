import type { Db } from '@shop/db';
import { runLoad, type LoadSpec } from '../load';
import { cycle, type HttpScenario } from './types';

type LoadSettings = Omit<LoadSpec, 'next' | 'warmupNext'>;

/** The ceiling: GET /api/ping runs every middleware and nothing else, so it is the most this API can answer. */
export async function ceilingScenario(settings: LoadSettings): Promise<HttpScenario> {
  const load = await runLoad({ ...settings, next: () => ({ method: 'GET', path: '/api/ping' }) });
  return {
    id: 'ceiling',
    title: 'ceiling: GET /api/ping',
    what: 'a route that does nothing, through the full middleware stack',
    load,
    unitsPerSec: load.rps,
    unit: 'answers',
    facts: {},
  };
}

/**
 * The product list as the shop's home and category pages ask for it: the first page of all products and of each
 * category, in turn. Reads go through the API's one-second catalog cache, as in production.
 */
export async function catalogListScenario(settings: LoadSettings, db: Db): Promise<HttpScenario> {
  const categories = await db.category.findMany({ select: { id: true }, orderBy: { sortOrder: 'asc' } });
  const paths = ['/api/products', ...categories.map((c) => `/api/products?categoryId=${c.id}`)];
  const path = cycle(paths);
  const load = await runLoad({ ...settings, next: () => ({ method: 'GET', path: path() }) });
  return {
    id: 'catalog-list',
    title: 'catalog: GET /api/products',
    what: `first pages of the whole catalog and of each of ${categories.length} categories, in turn`,
    load,
    unitsPerSec: load.rps,
    unit: 'answers',
    facts: { distinctPages: paths.length },
  };
}

/** Product detail pages, every published product in turn. */
export async function productDetailScenario(settings: LoadSettings, db: Db): Promise<HttpScenario> {
  const products = await db.product.findMany({ where: { status: 'PUBLISHED' }, select: { id: true } });
  const id = cycle(products.map((p) => p.id));
  const load = await runLoad({ ...settings, next: () => ({ method: 'GET', path: `/api/products/${id()}` }) });
  return {
    id: 'product-detail',
    title: 'catalog: GET /api/products/:id',
    what: `the detail of each of ${products.length} published products, in turn`,
    load,
    unitsPerSec: load.rps,
    unit: 'answers',
    facts: { products: products.length },
  };
}
