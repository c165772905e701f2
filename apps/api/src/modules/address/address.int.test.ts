import { storedBytes } from '@shop/db/testing';
import { MAX_ADDRESSES, type Address, type AddressList, type ErrorBody } from '@shop/contract';
import { DEV_BUYERS } from '@shop/dev-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressBody } from '../../testing/factories';
import { startTestSystem, type TestSystem } from '../../testing/harness';

let sys: TestSystem;

beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(() => sys.close());

const create = (token: string, overrides: Parameters<typeof addressBody>[0] = {}) =>
  sys.request<Address & ErrorBody>('POST', '/api/addresses', { token, body: addressBody(overrides) });
const list = async (token: string) =>
  (await sys.request<AddressList>('GET', '/api/addresses', { token })).body.items;
const defaults = async (token: string) => (await list(token)).filter((a) => a.isDefault).map((a) => a.id);

describe('addresses', () => {
  it('creates, reads back decrypted, and makes the first address the default', async () => {
    const token = await sys.signIn(DEV_BUYERS[0]!.userId);
    const res = await create(token, { name: '李雷', phone: '13912345678', detail: '学院路 1 号' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: '李雷',
      phone: '13912345678',
      detail: '学院路 1 号',
      isDefault: true,
    });
    expect(await list(token)).toEqual([res.body]);
  });

  it('stores phone and street only as ciphertext with a key id, never as plain text on disk', async () => {
    const token = await sys.signIn(DEV_BUYERS[1]!.userId);
    const phone = '13700001111';
    const detail = '滨江区网商路 699 号 7 号楼明文检测';
    const name = '明文对照姓名';
    const res = await create(token, { phone, detail, name });
    const row = await sys.db.address.findUniqueOrThrow({ where: { id: res.body.id } });
    expect(row.phoneCipher).toMatch(/^[A-Za-z0-9_-]+:[A-Za-z0-9+/=]+$/);
    expect(row.phoneCipher).not.toContain(phone);
    expect(row.detailCipher).not.toContain(detail);

    // Everything written reaches the files first (a checkpoint), then the bytes on disk are searched.
    const { DATABASE } = sys.api.deps.env;
    const bytes = await storedBytes(
      sys.db,
      'Address',
      DATABASE.engine === 'sqlite' ? DATABASE.file : undefined,
    );
    // The name is stored in plain text on purpose: finding it proves the search itself works.
    expect(bytes.includes(Buffer.from(name, 'utf8'))).toBe(true);
    expect(bytes.includes(Buffer.from(phone, 'utf8'))).toBe(false);
    expect(bytes.includes(Buffer.from(detail, 'utf8'))).toBe(false);
    expect(bytes.includes(Buffer.from('网商路', 'utf8'))).toBe(false);
  });

  it('keeps exactly one default: a new default unsets the old, and `false` never leaves none', async () => {
    const token = await sys.signIn(DEV_BUYERS[2]!.userId);
    const first = (await create(token)).body;
    const second = (await create(token, { isDefault: false })).body;
    expect(await defaults(token)).toEqual([first.id]);
    const third = (await create(token, { isDefault: true })).body;
    expect(await defaults(token)).toEqual([third.id]);

    const moved = await sys.request<Address>('PUT', `/api/addresses/${second.id}`, {
      token,
      body: addressBody({ isDefault: true, city: '宁波市' }),
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ id: second.id, isDefault: true, city: '宁波市' });
    expect(await defaults(token)).toEqual([second.id]);

    // Unticking "default" on the default changes nothing: the default moves only to another address.
    const kept = await sys.request<Address>('PUT', `/api/addresses/${second.id}`, {
      token,
      body: addressBody({ isDefault: false }),
    });
    expect(kept.body.isDefault).toBe(true);
    // Leaving isDefault out keeps it as it was.
    const { isDefault: _omit, ...withoutFlag } = addressBody({ district: '鄞州区' });
    const edited = await sys.request<Address>('PUT', `/api/addresses/${third.id}`, {
      token,
      body: withoutFlag,
    });
    expect(edited.body).toMatchObject({ district: '鄞州区', isDefault: false });
    expect((await list(token))[0]!.id).toBe(second.id);
  });

  it('soft-deletes, promoting another address when the default goes', async () => {
    const token = await sys.signIn(DEV_BUYERS[3]!.userId);
    const a = (await create(token)).body;
    const b = (await create(token)).body;
    expect((await sys.request('DELETE', `/api/addresses/${a.id}`, { token })).status).toBe(204);
    expect((await list(token)).map((x) => x.id)).toEqual([b.id]);
    expect(await defaults(token)).toEqual([b.id]);
    // The row stays (orders may still be read), marked deleted.
    const row = await sys.db.address.findUniqueOrThrow({ where: { id: a.id } });
    expect(row.deletedAt).not.toBeNull();
    const gone = await sys.request<ErrorBody>('DELETE', `/api/addresses/${a.id}`, { token });
    expect([gone.status, gone.body.error.code]).toEqual([404, 'NOT_FOUND']);
    expect((await sys.request('DELETE', `/api/addresses/${b.id}`, { token })).status).toBe(204);
    expect(await list(token)).toEqual([]);
  });

  it('hides another user’s address behind a 404 for read, update and delete', async () => {
    const owner = await sys.signIn(DEV_BUYERS[0]!.userId);
    const other = await sys.signIn(DEV_BUYERS[4]!.userId);
    const mine = (await create(owner, { detail: '只属于我的地址' })).body;
    expect((await list(other)).some((a) => a.id === mine.id)).toBe(false);
    const put = await sys.request<ErrorBody>('PUT', `/api/addresses/${mine.id}`, {
      token: other,
      body: addressBody({ name: '冒名' }),
    });
    expect([put.status, put.body.error.code]).toEqual([404, 'NOT_FOUND']);
    const del = await sys.request<ErrorBody>('DELETE', `/api/addresses/${mine.id}`, { token: other });
    expect([del.status, del.body.error.code]).toEqual([404, 'NOT_FOUND']);
    const row = await sys.db.address.findUniqueOrThrow({ where: { id: mine.id } });
    expect([row.name, row.deletedAt]).toEqual(['张三', null]);
  });

  it('keeps the cap and one default when a shopper adds addresses concurrently', async () => {
    const raced = await startTestSystem();
    try {
      const token = await raced.signIn();
      const post = (isDefault: boolean) =>
        raced.request<Address & ErrorBody>('POST', '/api/addresses', {
          token,
          body: addressBody({ isDefault }),
        });
      // 25 at once, every other one asking to be the default, from a shopper with none yet.
      const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => post(i % 2 === 0)));
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(MAX_ADDRESSES);
      expect(answers.filter((a) => a.status === 422).map((a) => a.body.error.code)).toEqual(
        Array.from({ length: 25 - MAX_ADDRESSES }, () => 'ADDRESS_LIMIT'),
      );
      const items = (await raced.request<AddressList>('GET', '/api/addresses', { token })).body.items;
      expect(items).toHaveLength(MAX_ADDRESSES);
      expect(items.filter((a) => a.isDefault)).toHaveLength(1);
    } finally {
      await raced.close();
    }
  });

  it(`caps each user at ${MAX_ADDRESSES} live addresses with 422 ADDRESS_LIMIT`, async () => {
    const capped = await startTestSystem();
    try {
      const token = await capped.signIn();
      for (let i = 0; i < MAX_ADDRESSES; i++) {
        const res = await capped.request('POST', '/api/addresses', { token, body: addressBody() });
        expect(res.status).toBe(201);
      }
      const over = await capped.request<ErrorBody>('POST', '/api/addresses', { token, body: addressBody() });
      expect([over.status, over.body.error.code]).toEqual([422, 'ADDRESS_LIMIT']);
      // Deleting one makes room again.
      const first = (await capped.request<AddressList>('GET', '/api/addresses', { token })).body.items[0]!;
      await capped.request('DELETE', `/api/addresses/${first.id}`, { token });
      expect((await capped.request('POST', '/api/addresses', { token, body: addressBody() })).status).toBe(
        201,
      );
    } finally {
      await capped.close();
    }
  });
});
