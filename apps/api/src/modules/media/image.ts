import { MAX_UPLOAD_BYTES, UPLOAD_TYPES } from '@shop/contract';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { AppError } from '../../errors';

/*
 * Photos are checked by their bytes: the magic numbers (file-type) say what the file is, whatever its name or its
 * Content-Type claim, and sharp must then decode it, so a file that starts like a JPEG and is not one is refused.
 * Variants are re-encoded by sharp (WebP), which also drops EXIF (a phone photo's location) and applies rotation.
 */

export const VARIANTS = {
  /** Product lists and grids. */
  list: 360,
  /** The product page's gallery, and a shopper's after-sale photo. */
  detail: 750,
  /** Cart and order lines. */
  cart: 160,
} as const;
export type Variant = keyof typeof VARIANTS;

export function isVariant(value: string): value is Variant {
  return Object.prototype.hasOwnProperty.call(VARIANTS, value);
}

export interface InspectedImage {
  contentType: (typeof UPLOAD_TYPES)[number];
  width: number;
  height: number;
}

function refused(message: string, details: Record<string, unknown>): AppError {
  return new AppError('UNSUPPORTED_IMAGE', message, { details });
}

export async function inspectImage(bytes: Buffer): Promise<InspectedImage> {
  if (bytes.length === 0) throw refused('The file is empty', { byteSize: 0 });
  if (bytes.length > MAX_UPLOAD_BYTES) {
    throw new AppError('PAYLOAD_TOO_LARGE', 'The photo is larger than allowed', {
      details: { byteSize: bytes.length, maxBytes: MAX_UPLOAD_BYTES },
    });
  }
  const type = await fileTypeFromBuffer(bytes);
  const contentType = UPLOAD_TYPES.find((t) => t === type?.mime);
  if (!contentType) {
    throw refused('Only JPEG, PNG and WebP photos are accepted', { detected: type?.mime ?? null });
  }
  try {
    const meta = await sharp(bytes, { limitInputPixels: 50_000_000 }).metadata();
    // Decoding the whole picture catches files whose header is right and whose body is not.
    await sharp(bytes).resize(8, 8).toBuffer();
    if (!meta.width || !meta.height) throw new Error('no size');
    return { contentType, width: meta.width, height: meta.height };
  } catch {
    throw refused('The photo could not be read', { detected: contentType });
  }
}

/** A variant: at most `VARIANTS[v]` pixels wide, WebP, rotated upright, metadata stripped. */
export async function renderVariant(original: Buffer, variant: Variant): Promise<Buffer> {
  return sharp(original)
    .rotate()
    .resize({ width: VARIANTS[variant], height: VARIANTS[variant], fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 82 })
    .toBuffer();
}
