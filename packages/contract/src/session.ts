import { z } from 'zod';
import { Id, IsoDateTime } from './common';

export const SessionCreateBody = z.strictObject({
  authCode: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,128}$/, 'must be an Alipay auth code'),
});
export type SessionCreateBody = z.infer<typeof SessionCreateBody>;

export const ShopUser = z.object({
  id: Id,
  nickname: z.string().nullable(),
});
export type ShopUser = z.infer<typeof ShopUser>;

export const SessionResponse = z.object({
  token: z.string(),
  expiresAt: IsoDateTime,
  user: ShopUser,
});
export type SessionResponse = z.infer<typeof SessionResponse>;
