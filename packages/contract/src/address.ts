import { z } from 'zod';
import { Id } from './common';

/** Printable text only: control characters have no place on a shipping label and break printers and logs. */
const NO_CONTROL = /^[^\p{Cc}]*$/u;
const text = (max: number) =>
  z.string().trim().min(1).max(max).regex(NO_CONTROL, 'must not contain control characters');

export const AddressBody = z.strictObject({
  name: text(20),
  /** Mainland mobile number. */
  phone: z
    .string()
    .trim()
    .regex(/^1[3-9]\d{9}$/, 'must be an 11-digit mobile number'),
  province: text(20),
  city: text(20),
  district: text(20),
  detail: z.string().trim().min(2).max(120).regex(NO_CONTROL, 'must not contain control characters'),
  isDefault: z.boolean().default(false),
});
export type AddressBody = z.infer<typeof AddressBody>;

/**
 * `PUT /api/addresses/:id` replaces the fields; `isDefault` may be left out (unchanged). `isDefault: true` makes this
 * the default; `false` on the current default is ignored, since a user with addresses always has exactly one default:
 * the default moves only when another address is made default (or the default is deleted).
 */
export const AddressUpdateBody = AddressBody.extend({ isDefault: z.boolean().optional() });
export type AddressUpdateBody = z.infer<typeof AddressUpdateBody>;

/** `/api/addresses/:id`. */
export const AddressParams = z.strictObject({ id: Id });
export type AddressParams = z.infer<typeof AddressParams>;

export const Address = z.object({
  id: Id,
  name: z.string(),
  phone: z.string(),
  province: z.string(),
  city: z.string(),
  district: z.string(),
  detail: z.string(),
  isDefault: z.boolean(),
});
export type Address = z.infer<typeof Address>;

export const AddressList = z.object({ items: z.array(Address) });
export type AddressList = z.infer<typeof AddressList>;

export const MAX_ADDRESSES = 20;
