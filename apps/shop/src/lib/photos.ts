import Taro from '@tarojs/taro';

/**
 * Picking photos and reading their bytes for an upload. The API checks the type by the bytes; the content type sent
 * here is only a hint. H5 hands out blob: URLs (read with fetch); the mini-program hands out temporary files (read
 * with the file system manager).
 */
export interface PickedPhoto {
  bytes: ArrayBuffer;
  contentType: string;
  /** Where the page can show it before it is uploaded. */
  previewSrc: string;
}

async function readBytes(path: string): Promise<ArrayBuffer> {
  if (Taro.getEnv() === Taro.ENV_TYPE.WEB) {
    const response = await fetch(path);
    return response.arrayBuffer();
  }
  return new Promise<ArrayBuffer>((resolve, reject) => {
    Taro.getFileSystemManager().readFile({
      filePath: path,
      success: (result) => resolve(result.data as ArrayBuffer),
      fail: (error) => reject(new Error(error.errMsg)),
    });
  });
}

export async function pickPhotos(count: number): Promise<PickedPhoto[]> {
  const chosen = await Taro.chooseImage({ count, sizeType: ['compressed'], sourceType: ['album', 'camera'] });
  return Promise.all(
    chosen.tempFilePaths.map(async (path, index) => {
      const file = chosen.tempFiles[index] as { type?: string } | undefined;
      return { bytes: await readBytes(path), contentType: file?.type || 'image/jpeg', previewSrc: path };
    }),
  );
}
