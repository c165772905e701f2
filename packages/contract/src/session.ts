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
  /**
   * The shopper's Alipay user id (2088...), null for an app that identifies users by open id. The shopper's own, and
   * what the H5 shop names them by on the sandbox's pages that stand in for Alipay's own sheets, which know the user
   * without being told (the subscribe page, for my.requestSubscribeMessage).
   */
  alipayUserId: z.string().nullable(),
});
export type ShopUser = z.infer<typeof ShopUser>;

export const SessionResponse = z.object({
  token: z.string(),
  expiresAt: IsoDateTime,
  user: ShopUser,
});
export type SessionResponse = z.infer<typeof SessionResponse>;
