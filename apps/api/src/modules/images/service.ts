import { MAX_PRODUCT_IMAGE_CHOICES } from '@shop/contract';
import type { DbOrTx } from '../../db';
import { categoryIconPath } from '../catalog/product-write';
import { parseDimensions } from '../catalog/specs';
import { renderCategoryIcon, renderProductImage } from './svg';

/** Spec dimensions whose values are colours, so the pictures can show them. */
const COLOUR_DIMENSIONS = ['颜色', '色号', '颜色分类', '配色', '外观'];

/**
 * Product image `index` as SVG, or null when the product does not exist or the index is beyond the pictures a product
 * may choose from (the admin previews every choice before the merchant picks). Served for any product status: orders
 * keep pointing at their items' images after a product is taken down.
 */
export async function productImageSvg(db: DbOrTx, productId: string, index: number): Promise<string | null> {
  const product = await db.product.findUnique({
    where: { id: productId },
    select: {
      title: true,
      subtitle: true,
      imagesJson: true,
      specsJson: true,
      category: { select: { slug: true, name: true } },
    },
  });
  if (!product || index >= MAX_PRODUCT_IMAGE_CHOICES) return null;
  const colours = parseDimensions(product.specsJson).find((d) => COLOUR_DIMENSIONS.includes(d.name));
  return renderProductImage({
    title: product.title,
    subtitle: product.subtitle,
    categorySlug: product.category.slug,
    categoryName: product.category.name,
    colourNames: colours?.values ?? [],
    index,
  });
}

export async function categoryIconSvg(db: DbOrTx, slug: string): Promise<string | null> {
  const category = await db.category.findUnique({ where: { slug }, select: { name: true, iconPath: true } });
  if (!category || category.iconPath !== categoryIconPath(slug)) return null;
  return renderCategoryIcon({ slug, name: category.name });
}
