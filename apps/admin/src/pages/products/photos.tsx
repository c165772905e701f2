import {
  MAX_PRODUCT_PHOTOS,
  MAX_UPLOAD_BYTES,
  type ProductPhotoList,
  type ProductPhotoView,
} from '@shop/contract';
import { useRef, useState } from 'react';

import { adminPage, useAdmin } from '../../components/layout';
import { Banner, Card, Empty, ErrorBanner, NotLoaded, PageHeader } from '../../components/ui';
import { api, apiAsset } from '../../lib/api';
import { goBack, routeParam } from '../../lib/nav';
import { PAGES, pageUrl } from '../../lib/paths';
import { useApi } from '../../lib/use-api';
import { useSubmit } from '../../lib/use-submit';
import './photos.css';

/** What the page says about a refused file, by the API's code (the bytes decide, not the name). */
const UPLOAD_WORDS = {
  UNSUPPORTED_IMAGE: '文件不是有效的 JPG、PNG 或 WebP 图片（按文件内容识别，改扩展名无效），请换一张',
  PAYLOAD_TOO_LARGE: `图片不能超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`,
};

function move<T>(items: readonly T[], from: number, to: number): T[] {
  const next = [...items];
  const [item] = next.splice(from, 1);
  if (item !== undefined) next.splice(to, 0, item);
  return next;
}

/** A product's photos: upload (JPEG, PNG, WebP), order them, pick the cover (the first), delete. */
function ProductPhotos() {
  const id = routeParam('id') ?? '';
  const { can } = useAdmin();
  const canWrite = can('products.write');
  const photos = useApi(id ? `photos:${id}` : null, (signal) =>
    api.get<ProductPhotoList>(`/api/admin/products/${encodeURIComponent(id)}/photos`, { signal }),
  );
  const [shown, setShown] = useState<ProductPhotoView[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { busy, error, run } = useSubmit(id);
  const input = useRef<HTMLInputElement>(null);
  const items = shown ?? photos.data?.items;
  const head = (
    <PageHeader
      title="实拍图片"
      description={`最多 ${MAX_PRODUCT_PHOTOS} 张，支持 JPG、PNG、WebP，单张不超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB；第一张为封面。`}
      actions={
        <button
          type="button"
          className="btn"
          onClick={() => goBack(pageUrl('productEdit', { id }) || PAGES.products)}
        >
          返回商品
        </button>
      }
    />
  );
  if (items === undefined)
    return (
      <NotLoaded
        head={head}
        {...(id === '' ? { missing: { title: '没有指定商品', hint: '请从商品列表打开' } } : {})}
        error={photos.error}
        onRetry={photos.reload}
      />
    );

  const apply = (work: () => Promise<ProductPhotoList>, done: string) =>
    void run(async () => {
      const list = await work();
      setShown(list.items);
      setNotice(done);
    });
  const upload = (files: FileList | null) => {
    const file = files?.[0];
    if (!file) return;
    setNotice(null);
    apply(
      () => api.post<ProductPhotoList>('/api/admin/photos', file, { query: { productId: id } }),
      '图片已上传',
    );
    if (input.current) input.current.value = '';
  };
  const reorder = (next: ProductPhotoView[], done: string) =>
    apply(
      () =>
        api.put<ProductPhotoList>(`/api/admin/products/${encodeURIComponent(id)}/photos`, {
          photoIds: next.map((p) => p.id),
        }),
      done,
    );
  const remove = (photo: ProductPhotoView) =>
    apply(
      () =>
        api.delete<ProductPhotoList>(
          `/api/admin/products/${encodeURIComponent(id)}/photos/${encodeURIComponent(photo.id)}`,
        ),
      '图片已删除',
    );

  return (
    <>
      {head}
      <ErrorBanner error={error} testId="photos-error" words={UPLOAD_WORDS} />
      {notice === null ? null : (
        <Banner tone="success" testId="photos-notice">
          {notice}
        </Banner>
      )}
      <Card
        title={`实拍图（${items.length}/${MAX_PRODUCT_PHOTOS}）`}
        extra={
          canWrite && items.length < MAX_PRODUCT_PHOTOS ? (
            <label className="btn btn--primary btn--small">
              {busy ? '处理中…' : '上传图片'}
              <input
                ref={input}
                type="file"
                accept="image/jpeg,image/png,image/webp"
                hidden
                disabled={busy}
                data-testid="photos-input"
                onChange={(e) => upload(e.target.files)}
              />
            </label>
          ) : undefined
        }
      >
        {items.length === 0 ? (
          <Empty title="还没有实拍图">商城暂时展示示意图，上传后展示实拍图</Empty>
        ) : (
          <div className="photos" data-testid="photos-list">
            {items.map((photo, index) => (
              <figure key={photo.id} className="photos__item" data-testid="photo-item">
                <img src={apiAsset(photo.url)} alt={`实拍图 ${index + 1}`} className="photos__img" />
                <figcaption className="photos__caption">
                  {photo.isCover ? (
                    <span className="tag tag--info">封面</span>
                  ) : (
                    <span className="muted">第 {index + 1} 张</span>
                  )}
                  <span className="muted">
                    {photo.width}×{photo.height}
                  </span>
                </figcaption>
                {canWrite ? (
                  <div className="photos__actions">
                    <button
                      type="button"
                      className="btn btn--link"
                      disabled={busy || index === 0}
                      onClick={() => reorder(move(items, index, 0), '封面已更换')}
                      data-testid="photo-cover"
                    >
                      设为封面
                    </button>
                    <button
                      type="button"
                      className="btn btn--link"
                      disabled={busy || index === 0}
                      onClick={() => reorder(move(items, index, index - 1), '顺序已调整')}
                    >
                      前移
                    </button>
                    <button
                      type="button"
                      className="btn btn--link"
                      disabled={busy || index === items.length - 1}
                      onClick={() => reorder(move(items, index, index + 1), '顺序已调整')}
                    >
                      后移
                    </button>
                    <button
                      type="button"
                      className="btn btn--link"
                      disabled={busy}
                      onClick={() => remove(photo)}
                      data-testid="photo-delete"
                    >
                      删除
                    </button>
                  </div>
                ) : null}
              </figure>
            ))}
          </div>
        )}
      </Card>
    </>
  );
}

export default adminPage(ProductPhotos, {
  section: 'products',
  title: '实拍图片',
  permission: 'products.read',
});
