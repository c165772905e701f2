import type { Deps } from '../deps';
import { newNotifyId } from '../ids';
import type { NotifyKind, Refund, Trade } from '../store/types';
import { tradeNotifyFields } from './notify-fields';

/**
 * Queues a notify for a trade, inside the caller's transaction, so that a state change and its notify commit
 * together. A trade created without notify_url gets none, as at Alipay. The caller signals the sender after commit.
 */
export function queueTradeNotify(deps: Deps, kind: NotifyKind, trade: Trade, refund?: Refund): string | null {
  if (!trade.notifyUrl) return null;
  const buyer = deps.store.accounts.findBuyer(trade.buyerUserId);
  if (!buyer) throw new Error(`trade ${trade.tradeNo} names unknown buyer ${trade.buyerUserId}`);
  const now = deps.clock.now();
  const notifyId = newNotifyId(now);
  deps.store.notifies.insert({
    notifyId,
    appId: trade.appId,
    tradeNo: trade.tradeNo,
    outTradeNo: trade.outTradeNo,
    kind,
    notifyUrl: trade.notifyUrl,
    charset: trade.charset,
    fields: tradeNotifyFields(notifyId, kind, trade, buyer, refund),
    createdAt: now,
  });
  return notifyId;
}
