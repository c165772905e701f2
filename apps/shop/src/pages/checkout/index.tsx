import type { Address } from '@shop/contract';
import { Image, Text, Textarea, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useRef, useState } from 'react';

import { api, errorCode, errorMessage, ShopError } from '../../api';
import { AddressChooser } from '../../components/address-chooser';
import { AddressForm } from '../../components/address-form';
import { OrderLine } from '../../components/order-line';
import { Price } from '../../components/price';
import { EmptyView, Loaded } from '../../components/state';
import { useRequest } from '../../hooks/use-request';
import {
  checkAddress,
  EMPTY_DRAFT,
  fullAddress,
  maskPhone,
  type AddressDraft,
  type AddressField,
} from '../../lib/address';
import { askForMessages } from '../../lib/messages';
import { payOrder } from '../../lib/pay';
import { randomToken } from '../../lib/random';
import { goTab, pages, param, replace } from '../../lib/routes';
import { Button, Checkbox } from '../../ui';
import pinIcon from '../../assets/icons/map-pin.png';
import './index.css';

/** What is being bought: the selected cart lines, or one SKU ("立即购买"). */
interface CheckoutLine {
  skuId: string;
  title: string;
  specText: string;
  imageUrl: string;
  unitPriceFen: number;
  quantity: number;
  lineTotalFen: number;
}

interface CheckoutData {
  fromCart: boolean;
  lines: CheckoutLine[];
  totalFen: number;
  addresses: Address[];
  /** The subscription message templates the shop can ask for (none: the option is not shown). */
  templateIds: string[];
}

/** The templates to offer; without them (none configured, or the list did not load) checkout simply has no option. */
function loadTemplateIds(): Promise<string[]> {
  return api.messageTemplates().then(
    (list) => list.templates.map((template) => template.templateId),
    () => [],
  );
}

async function loadCheckout(params: Record<string, string | undefined>): Promise<CheckoutData> {
  const addresses = api.addresses().then((list) => list.items);
  const templateIds = loadTemplateIds();
  if (params.from === 'cart') {
    let cart = await api.cart();
    // An order "from the cart" takes every selected line, while the cart's totals count only available ones: a
    // selected line that has since sold out would fail the whole order. Unselect those first, so the order is
    // exactly what this page shows.
    const stale = cart.items.filter((line) => line.selected && !line.available).map((line) => line.skuId);
    if (stale.length > 0) cart = await api.selectCartItems({ skuIds: stale, selected: false });
    const lines = cart.items.filter((line) => line.selected && line.available);
    return {
      fromCart: true,
      lines,
      totalFen: cart.selectedTotalFen,
      addresses: await addresses,
      templateIds: await templateIds,
    };
  }
  const productId = param(params.productId);
  const skuId = param(params.skuId);
  const quantity = Number(params.quantity ?? '1');
  if (!productId || !skuId || !Number.isInteger(quantity) || quantity < 1)
    throw new ShopError('下单信息不完整，请重新选择商品');
  const product = await api.product(productId);
  const sku = product.skus.find((s) => s.id === skuId);
  if (!sku) throw new ShopError('这个规格已不存在，请重新选择');
  const line: CheckoutLine = {
    skuId,
    title: product.title,
    specText: Object.values(sku.specs).join(' / '),
    imageUrl: product.images[0] ?? '',
    unitPriceFen: sku.priceFen,
    quantity,
    lineTotalFen: sku.priceFen * quantity,
  };
  return {
    fromCart: false,
    lines: [line],
    totalFen: line.lineTotalFen,
    addresses: await addresses,
    templateIds: await templateIds,
  };
}

function CheckoutView(props: { data: CheckoutData; onAddressesChanged: (addresses: Address[]) => void }) {
  const { data } = props;
  const initial = data.addresses.find((a) => a.isDefault) ?? data.addresses[0];
  const [addressId, setAddressId] = useState<string | null>(initial?.id ?? null);
  const [chooserOpen, setChooserOpen] = useState(false);
  const [draft, setDraft] = useState<AddressDraft>({ ...EMPTY_DRAFT, isDefault: true });
  const [draftErrors, setDraftErrors] = useState<Partial<Record<AddressField, string>>>({});
  const [note, setNote] = useState('');
  const [subscribe, setSubscribe] = useState(false);
  const [busy, setBusy] = useState(false);
  // One key per checkout attempt (this page): a double tap, or a retry after a lost answer, gets the same order.
  const idempotencyKey = useRef(randomToken(32)).current;
  const submitting = useRef(false);

  const address = data.addresses.find((a) => a.id === addressId) ?? null;
  const itemName = (skuId: string) => data.lines.find((l) => l.skuId === skuId)?.title;

  const ensureAddress = async (): Promise<string | null> => {
    if (address) return address.id;
    const check = checkAddress(draft);
    if (!check.ok) {
      setDraftErrors(check.errors);
      void Taro.showToast({ title: check.first, icon: 'none' });
      return null;
    }
    const created = await api.createAddress(check.body);
    props.onAddressesChanged([...data.addresses, created]);
    setAddressId(created.id);
    return created.id;
  };

  const submit = async () => {
    if (submitting.current) return;
    submitting.current = true;
    setBusy(true);
    let orderId: string | null = null;
    try {
      const chosen = await ensureAddress();
      if (!chosen) return;
      const trimmed = note.trim();
      const order = await api.createOrder(
        data.fromCart
          ? { fromCart: true, addressId: chosen, ...(trimmed ? { note: trimmed } : {}) }
          : {
              items: data.lines.map((l) => ({ skuId: l.skuId, quantity: l.quantity })),
              addressId: chosen,
              ...(trimmed ? { note: trimmed } : {}),
            },
        idempotencyKey,
      );
      orderId = order.id;
      // Asked after the order exists and before the payment sheet, as Alipay wants a tap before its panel. On H5
      // the subscribe page comes back to the order, which records the answer and goes on to pay (then=pay).
      if (subscribe && data.templateIds.length > 0)
        await askForMessages(data.templateIds, pages.order(order.id, 'pay'));
      await payOrder(order.id);
    } catch (error) {
      void Taro.showToast({ title: errorMessage(error, { itemName }), icon: 'none', duration: 3000 });
      // The order exists but paying could not start: its page can pay again (or cancel).
      if (orderId) replace(pages.order(orderId));
      else if (errorCode(error) === 'IDEMPOTENCY_KEY_REUSED') replace(pages.orders());
    } finally {
      submitting.current = false;
      setBusy(false);
    }
  };

  return (
    <View className="page page--with-bar checkout-page">
      {data.addresses.length === 0 ? (
        <View className="card" data-testid="checkout-address-form">
          <View className="row checkout-address__head">
            <Image className="checkout-address__pin" src={pinIcon} />
            <Text className="card__title checkout-address__title">填写收货地址</Text>
          </View>
          <AddressForm draft={draft} errors={draftErrors} onChange={setDraft} showDefault={false} />
        </View>
      ) : (
        <View
          className="card checkout-address"
          data-testid="checkout-address"
          onClick={() => setChooserOpen(true)}
        >
          <Image className="checkout-address__pin" src={pinIcon} />
          {address ? (
            <View className="grow">
              <View className="row">
                <Text className="checkout-address__name">{address.name}</Text>
                <Text className="muted">{maskPhone(address.phone)}</Text>
              </View>
              <Text className="checkout-address__line">{fullAddress(address)}</Text>
            </View>
          ) : (
            <Text className="grow">请选择收货地址</Text>
          )}
          <View className="chevron" />
        </View>
      )}

      <View className="card" data-testid="checkout-lines">
        {data.lines.map((line) => (
          <OrderLine key={line.skuId} line={line} testId="checkout-line" />
        ))}
        <View className="kv">
          <Text className="kv__key">商品金额</Text>
          <Price fen={data.totalFen} size="sm" muted />
        </View>
        <View className="kv">
          <Text className="kv__key">运费</Text>
          <Text>免运费</Text>
        </View>
        <View className="kv checkout-note">
          <Text className="kv__key">订单备注</Text>
          <Textarea
            className="field checkout-note__input"
            data-testid="checkout-note"
            value={note}
            placeholder="选填，给商家留言（200 字以内）"
            maxlength={200}
            autoHeight
            onInput={(e) => setNote(e.detail.value)}
          />
        </View>
      </View>

      {data.templateIds.length > 0 ? (
        <View
          className="card row checkout-subscribe"
          data-testid="checkout-subscribe"
          aria-checked={subscribe}
          onClick={() => setSubscribe(!subscribe)}
        >
          <Checkbox checked={subscribe} />
          <View className="grow checkout-subscribe__text">
            <Text className="checkout-subscribe__title">订阅支付、发货和退款通知</Text>
            <Text className="muted checkout-subscribe__hint">支付宝将在付款、发货和退款时各提醒你一次</Text>
          </View>
        </View>
      ) : null}

      <View className="bottom-bar checkout-bar">
        <View className="grow checkout-bar__total">
          <Text>共 {data.lines.reduce((n, l) => n + l.quantity, 0)} 件，合计 </Text>
          <Price fen={data.totalFen} testId="checkout-total" />
        </View>
        <Button
          type="primary"
          loading={busy}
          disabled={busy}
          data-testid="checkout-submit"
          onClick={() => void submit()}
        >
          提交订单
        </Button>
      </View>

      <AddressChooser
        open={chooserOpen}
        addresses={data.addresses}
        selectedId={addressId}
        onSelect={setAddressId}
        onSaved={(saved) => {
          const others = data.addresses.filter((a) => a.id !== saved.id);
          props.onAddressesChanged([...others, saved]);
          setAddressId(saved.id);
        }}
        onClose={() => setChooserOpen(false)}
      />
    </View>
  );
}

/** Checkout: address (choose, edit or add), the lines, total, note, and submit (then pay). */
export default function CheckoutPage() {
  const params = useRouter().params;
  const checkout = useRequest(() => loadCheckout(params), [params.from, params.skuId, params.quantity]);

  return (
    <Loaded state={checkout.state} onRetry={checkout.reload}>
      {(data) =>
        data.lines.length === 0 ? (
          <EmptyView
            title="没有要结算的商品"
            hint="请先在购物车里勾选商品"
            action={
              <Button type="primary" size="small" onClick={() => goTab('cart')}>
                回到购物车
              </Button>
            }
          />
        ) : (
          <CheckoutView
            data={data}
            onAddressesChanged={(addresses) => checkout.setData({ ...data, addresses })}
          />
        )
      }
    </Loaded>
  );
}
