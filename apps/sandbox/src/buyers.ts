import { DEV_BUYERS } from '@shop/dev-identity';
import type { Deps } from './deps';
import { ConflictError } from './errors';
import { newOpenId, newUserId } from './ids';
import type { Buyer } from './store/types';

/** Sandbox buyers: who can authorize and pay. Balances are integer fen; a payment above the balance is declined. */

export interface NewBuyer {
  userId?: string | undefined;
  openId?: string | undefined;
  nickname: string;
  logonId?: string | undefined;
  balanceFen: number;
}

/** A phone-number-like account name derived from the user id (`2088000000000001` -> `13800000001`). */
export function defaultLogonId(userId: string): string {
  return `138${userId.slice(-8)}`;
}

export function createBuyer(deps: Deps, input: NewBuyer): Buyer {
  const userId = input.userId ?? newUserId();
  const buyer = {
    userId,
    openId: input.openId ?? newOpenId(),
    nickname: input.nickname,
    logonId: input.logonId ?? defaultLogonId(userId),
    balanceFen: input.balanceFen,
  };
  if (!deps.store.accounts.insertBuyer(buyer, deps.clock.now())) {
    throw new ConflictError(`a buyer with user id ${buyer.userId} or open id ${buyer.openId} already exists`);
  }
  return deps.store.accounts.findBuyer(userId) as Buyer;
}

/** Seeds the development buyers (DESIGN.md, "Development identities"); existing ones are left as they are. */
export function seedDevBuyers(deps: Deps): number {
  let created = 0;
  for (const buyer of DEV_BUYERS) {
    const inserted = deps.store.accounts.insertBuyer(
      { ...buyer, logonId: defaultLogonId(buyer.userId) },
      deps.clock.now(),
    );
    if (inserted) created++;
  }
  return created;
}
