import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/**
 * Reads the type and pixel size of a PNG or JPEG from its bytes (R6). The file's own header
 * decides, never the name or the declared content type.
 */
export interface ImageInfo {
  type: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function inspectPng(bytes: Buffer): ImageInfo | undefined {
  // Signature, then the IHDR chunk: length (4), "IHDR" (4), width (4), height (4).
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return undefined;
  if (bytes.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { type: 'image/png', width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Start-of-frame markers carry the size: C0–CF except C4 (DHT), C8 (JPG) and CC (DAC). */
const isStartOfFrame = (marker: number) =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

function inspectJpeg(bytes: Buffer): ImageInfo | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1] as number;
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01 || marker === 0xff) {
      offset += marker === 0xff ? 1 : 2;
      continue;
    }
    const length = bytes.readUInt16BE(offset + 2);
    if (isStartOfFrame(marker)) {
      if (offset + 9 > bytes.length) return undefined;
      return {
        type: 'image/jpeg',
        height: bytes.readUInt16BE(offset + 5),
        width: bytes.readUInt16BE(offset + 7),
      };
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image or scan before any frame
    offset += 2 + length;
  }
  return undefined;
}

export function inspectImage(bytes: Buffer): ImageInfo | undefined {
  return inspectPng(bytes) ?? inspectJpeg(bytes);
}

/**
 * Whether the whole image decodes to the size its header gives (issue 13): a valid header
 * followed by garbage, a truncated file or a broken checksum is not an image. Called only for
 * a header whose size is within the logo's limits, so decoding stays small (2700 × 700 px at
 * most); jpeg-js is held to that memory as well.
 */
export function decodesFully(bytes: Buffer, info: ImageInfo): boolean {
  try {
    if (info.type === 'image/png') {
      const png = PNG.sync.read(bytes);
      return png.width === info.width && png.height === info.height;
    }
    const decoded = jpeg.decode(bytes, { maxResolutionInMP: 2, maxMemoryUsageInMB: 64, useTArray: true });
    return decoded.width === info.width && decoded.height === info.height;
  } catch {
    return false;
  }
}
