import { randomBytes } from 'node:crypto';
import type { Address, AddressBody } from '@shop/contract';
import type { ProductStatus } from '@shop/db';
import type { Db } from '../db';
import { categoryIconPath, insertProduct, type NewSku } from '../modules/catalog/product-write';
import type { TestSystem } from './harness';

/**
 * Test data with sensible defaults, so a test names only what it is about:
 * `createProduct(db, { skus: [{ stock: 10 }] })` is "a product with one SKU of stock 10".
 */

const unique = () => randomBytes(4).toString('hex');

export interface CategoryOverrides {
  slug?: string;
  name?: string;
  sortOrder?: number;
}

export async function createCategory(db: Db, overrides: CategoryOverrides = {}) {
  const slug = overrides.slug ?? `test-${unique()}`;
  return db.category.create({
    data: {
      slug,
      name: overrides.name ?? '测试分类',
      iconPath: categoryIconPath(slug),
      sortOrder: overrides.sortOrder ?? 0,
    },
  });
}

export interface ProductOverrides {
  categoryId?: string;
  title?: string;
  subtitle?: string;
  description?: string;
  status?: ProductStatus;
  featured?: boolean;
  salesCount?: number;
  createdAt?: Date;
  /** Each SKU defaults to ¥99.00 with stock 100; specs default to none (a single-SKU product). */
  skus?: Array<Partial<NewSku>>;
}

export interface CreatedProduct {
  id: string;
  categoryId: string;
  skuIds: string[];
}

/** A published product (in a fresh category unless one is given) with one default SKU unless `skus` says more. */
export async function createProduct(db: Db, overrides: ProductOverrides = {}): Promise<CreatedProduct> {
  const categoryId = overrides.categoryId ?? (await createCategory(db)).id;
  const skus = (overrides.skus ?? [{}]).map((sku) => ({
    specs: sku.specs ?? {},
    priceFen: sku.priceFen ?? 9900,
    stock: sku.stock ?? 100,
  }));
  const product = await insertProduct(db, {
    categoryId,
    title: overrides.title ?? `测试商品 ${unique()}`,
    subtitle: overrides.subtitle ?? '',
    description: overrides.description ?? '',
    status: overrides.status ?? 'PUBLISHED',
    featured: overrides.featured ?? false,
    salesCount: overrides.salesCount ?? 0,
    ...(overrides.createdAt ? { createdAt: overrides.createdAt } : {}),
    skus,
  });
  return { id: product.id, categoryId, skuIds: product.skuIds };
}

/** A valid address body; override what the test is about. */
export function addressBody(overrides: Partial<AddressBody> = {}): AddressBody {
  return {
    name: '张三',
    phone: '13800138000',
    province: '浙江省',
    city: '杭州市',
    district: '西湖区',
    detail: '文三路 90 号东部软件园 3 号楼 502 室',
    isDefault: false,
    ...overrides,
  };
}

/** A signed-in sandbox buyer with one saved address, through the real API. */
export async function shopperWithAddress(
  sys: TestSystem,
  buyerId?: string,
  overrides: Partial<AddressBody> = {},
): Promise<{ token: string; addressId: string; userId: string }> {
  const token = await sys.signIn(buyerId);
  const res = await sys.request<Address>('POST', '/api/addresses', { token, body: addressBody(overrides) });
  if (res.status !== 201) throw new Error(`address create failed: ${res.text}`);
  const address = await sys.db.address.findUniqueOrThrow({
    where: { id: res.body.id },
    select: { userId: true },
  });
  return { token, addressId: res.body.id, userId: address.userId };
}
