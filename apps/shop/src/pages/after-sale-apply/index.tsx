import {
  AFTER_SALE_REASONS,
  formatFen,
  MAX_AFTER_SALE_PHOTOS,
  type AfterSaleKind,
  type AfterSaleReason,
  type OrderView,
} from '@shop/contract';
import { Image, Text, Textarea, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useState } from 'react';

import { api, errorMessage, ShopError } from '../../api';
import { Price } from '../../components/price';
import { EmptyView, Loaded } from '../../components/state';
import { useRequest } from '../../hooks/use-request';
import { AFTER_SALE_KIND_TEXT, canApply, kindsFor } from '../../lib/after-sales';
import { imageSrc } from '../../lib/images';
import { pickPhotos } from '../../lib/photos';
import { pages, param, replace } from '../../lib/routes';
import { Button, Checkbox } from '../../ui';
import './index.css';

interface Photo {
  path: string;
  previewSrc: string;
}

function ApplyForm(props: { order: OrderView }) {
  const { order } = props;
  const kinds = kindsFor(order.status);
  const [kind, setKind] = useState<AfterSaleKind>('REFUND_ONLY');
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(order.items.map((i) => i.skuId)));
  const [reason, setReason] = useState<AfterSaleReason | null>(null);
  const [description, setDescription] = useState('');
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [uploading, setUploading] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const leftFen = order.totalFen - order.refundedFen - order.refundPendingFen;
  // Every line of an order nothing was refunded on is the whole order (what is left); after a refund the chosen lines
  // are asked for at their price, and the API refuses what is more than is left.
  const whole = chosen.size === order.items.length && order.refundedFen + order.refundPendingFen === 0;
  const linesFen = order.items.filter((i) => chosen.has(i.skuId)).reduce((sum, i) => sum + i.lineTotalFen, 0);
  const amountFen = whole ? leftFen : linesFen;

  const toggle = (skuId: string) => {
    const next = new Set(chosen);
    if (next.has(skuId)) next.delete(skuId);
    else next.add(skuId);
    setChosen(next);
  };

  const addPhotos = async () => {
    setUploading(true);
    try {
      const picked = await pickPhotos(MAX_AFTER_SALE_PHOTOS - photos.length);
      const uploaded: Photo[] = [];
      for (const photo of picked) {
        const result = await api.uploadPhoto(photo.bytes, photo.contentType);
        uploaded.push({ path: result.path, previewSrc: imageSrc(result.path) });
      }
      setPhotos([...photos, ...uploaded]);
    } catch (failure) {
      if (!(failure instanceof Error && /cancel/i.test(failure.message))) {
        void Taro.showToast({ title: errorMessage(failure), icon: 'none' });
      }
    } finally {
      setUploading(false);
    }
  };

  const submit = async () => {
    if (chosen.size === 0) return setError('请选择要退款的商品');
    if (!reason) return setError('请选择退款原因');
    setError(null);
    setSubmitting(true);
    try {
      const request = await api.createAfterSale(order.id, {
        kind,
        reason,
        ...(description.trim() ? { description: description.trim() } : {}),
        ...(whole
          ? {}
          : {
              lines: order.items
                .filter((i) => chosen.has(i.skuId))
                .map((i) => ({ skuId: i.skuId, quantity: i.quantity })),
            }),
        ...(photos.length ? { photos: photos.map((p) => p.path) } : {}),
      });
      void Taro.showToast({ title: '申请已提交', icon: 'success' });
      replace(pages.afterSale(request.id));
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <View className="page page--with-bar apply-page" data-testid="after-sale-apply">
      {kinds.length > 1 ? (
        <View className="card">
          <Text className="card__title">售后类型</Text>
          <View className="chips">
            {kinds.map((each) => (
              <Text
                key={each}
                className={`chip${kind === each ? ' chip--active' : ''}`}
                data-testid={`apply-kind-${each}`}
                onClick={() => setKind(each)}
              >
                {AFTER_SALE_KIND_TEXT[each]}
              </Text>
            ))}
          </View>
        </View>
      ) : null}

      <View className="card">
        <Text className="card__title">选择商品</Text>
        {order.items.map((item) => (
          <View
            key={item.skuId}
            className="apply-line"
            data-testid="apply-line"
            aria-label={item.title}
            onClick={() => toggle(item.skuId)}
          >
            <Checkbox checked={chosen.has(item.skuId)} />
            <Image className="apply-line__image" src={imageSrc(item.imageUrl)} mode="aspectFill" />
            <View className="grow">
              <Text className="clamp-2">{item.title}</Text>
              <Text className="muted">
                {item.specText || '默认规格'} × {item.quantity}
              </Text>
            </View>
            <Price fen={item.lineTotalFen} size="sm" />
          </View>
        ))}
      </View>

      <View className="card">
        <Text className="card__title">退款原因</Text>
        <View className="chips">
          {AFTER_SALE_REASONS.map((each) => (
            <Text
              key={each}
              className={`chip${reason === each ? ' chip--active' : ''}`}
              data-testid="apply-reason"
              onClick={() => setReason(each)}
            >
              {each}
            </Text>
          ))}
        </View>
        <Textarea
          className="apply-text"
          placeholder="补充描述，有助于商家更快处理（选填）"
          maxlength={200}
          value={description}
          data-testid="apply-description"
          onInput={(e) => setDescription(e.detail.value)}
        />
        <View className="apply-photos">
          {photos.map((photo) => (
            <Image
              key={photo.path}
              className="apply-photos__item"
              src={photo.previewSrc}
              mode="aspectFill"
              data-testid="apply-photo"
            />
          ))}
          {photos.length < MAX_AFTER_SALE_PHOTOS ? (
            <View
              className="apply-photos__add"
              data-testid="apply-add-photo"
              onClick={() => void addPhotos()}
            >
              <Text>{uploading ? '上传中…' : '+ 上传凭证'}</Text>
              <Text className="muted">
                {photos.length}/{MAX_AFTER_SALE_PHOTOS}
              </Text>
            </View>
          ) : null}
        </View>
      </View>

      {error ? (
        <Text className="apply-error" data-testid="apply-error">
          {error}
        </Text>
      ) : null}

      <View className="bottom-bar">
        <View className="grow">
          <Text className="muted">退款金额 </Text>
          <Price fen={Math.max(0, amountFen)} testId="apply-amount" />
          <Text className="muted apply-hint">（最多可退 {formatFen(leftFen)}）</Text>
        </View>
        <Button
          type="primary"
          loading={submitting}
          disabled={submitting || uploading}
          data-testid="apply-submit"
          onClick={() => void submit()}
        >
          提交申请
        </Button>
      </View>
    </View>
  );
}

/** 申请退款/售后: the lines, the kind (a return once shipped), a reason, a description and photos. */
export default function AfterSaleApplyPage() {
  const orderId = param(useRouter().params.orderId);
  const order = useRequest(
    () => (orderId ? api.order(orderId) : Promise.reject(new ShopError('没有指定订单'))),
    [orderId],
  );
  if (!orderId) return <EmptyView title="没有指定订单" />;
  return (
    <Loaded state={order.state} onRetry={order.reload}>
      {(data) =>
        canApply(data.status) ? <ApplyForm order={data} /> : <EmptyView title="该订单暂不支持申请售后" />
      }
    </Loaded>
  );
}
