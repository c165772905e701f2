import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Where uploaded photos live: one small interface, with the disk as the default (MEDIA_DIR, under DATA_DIR). An
 * object store (OSS, S3) would implement the same three calls; nothing else in the API touches the files. Keys are
 * ours (`p/<id>/original`, `u/<id>/detail.webp`), never a client's file name.
 */
export interface PhotoStorage {
  put(key: string, bytes: Buffer): Promise<void>;
  /** The bytes, or null when nothing is stored under the key. */
  get(key: string): Promise<Buffer | null>;
  /** Removes the key and everything under it (a photo's original and its variants). */
  remove(prefix: string): Promise<void>;
}

const KEY = /^[a-z]\/[A-Za-z0-9_-]{1,64}(?:\/[a-z0-9.]{1,32})?$/;

function checked(key: string): string {
  if (!KEY.test(key)) throw new Error(`not a storage key: ${key}`);
  return key;
}

export function diskStorage(root: string): PhotoStorage {
  return {
    async put(key, bytes) {
      const file = join(root, checked(key));
      await mkdir(dirname(file), { recursive: true });
      // Written beside and renamed into place, so a reader never sees half a file.
      const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(temp, bytes);
      await rename(temp, file);
    },
    async get(key) {
      try {
        return await readFile(join(root, checked(key)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async remove(prefix) {
      await rm(join(root, checked(prefix)), { recursive: true, force: true });
    },
  };
}
