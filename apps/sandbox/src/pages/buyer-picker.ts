import { fenToYuan } from '@shop/alipay';
import type { Deps } from '../deps';
import { maskLogonId } from '../notify/notify-fields';
import { html, type SafeHtml } from './html';

/** Radio buttons choosing a sandbox buyer (the one in the cookie, else the first), as on the authorize page. */
export function buyerPicker(deps: Deps, chosen: string | undefined): SafeHtml {
  const buyers = deps.store.accounts.listBuyers();
  const selected = chosen ?? buyers[0]?.userId;
  return html`${buyers.map(
    (buyer) =>
      html`<label class="buyer"
        ><input
          type="radio"
          name="buyer_id"
          value="${buyer.userId}"
          ${buyer.userId === selected ? html`checked` : ''}
        /><span>${buyer.nickname}<br /><em>${maskLogonId(buyer.logonId)} · ${buyer.userId}</em></span
        ><em>余额 ¥${fenToYuan(buyer.balanceFen)}</em></label
      >`,
  )}`;
}
