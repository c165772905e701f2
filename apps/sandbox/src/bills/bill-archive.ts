import iconv from 'iconv-lite';
import JSZip from 'jszip';

/**
 * Packs a bill the way Alipay does: a zip whose CSV entries are GBK-encoded, and whose entry names are GBK bytes too,
 * without the zip's UTF-8 flag (JSZip's encodeFileName; it also adds an Info-ZIP Unicode Path extra field that
 * readers may use, and that Alipay's zips lack). A consumer must decode both names and contents as GBK.
 */
export async function zipBill(
  files: ReadonlyArray<{ name: string; text: string }>,
  date: Date,
): Promise<Buffer> {
  const zip = new JSZip();
  for (const file of files) zip.file(file.name, iconv.encode(file.text, 'gbk'), { date });
  return zip.generateAsync({
    type: 'nodebuffer',
    compression: 'DEFLATE',
    // JSZip's types want a string: a binary string (one char per byte) is written byte for byte.
    encodeFileName: (name) => iconv.encode(name, 'gbk').toString('latin1'),
  });
}
