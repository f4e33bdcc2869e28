import { describe, expect, it } from 'vitest';
import { logoProblems } from '../../../functions/core/entities/logo.ts';
import { decodesFully, inspectImage } from '../../../functions/core/images.ts';
import { makeFakePng, makeJpeg, makeJpegHead, makePng } from '../../fixtures/images.ts';

describe('inspectImage (R6)', () => {
  it('reads type and size from a PNG’s header', () => {
    expect(inspectImage(makePng(540, 140))).toEqual({ type: 'image/png', width: 540, height: 140 });
  });

  it('reads type and size from a JPEG’s frame header, skipping the segments before it', () => {
    expect(inspectImage(makeJpegHead(270, 70))).toEqual({ type: 'image/jpeg', width: 270, height: 70 });
  });

  it.each([
    ['text', Buffer.from('hello, I am not an image')],
    ['a GIF', Buffer.from('GIF89a\u0001\u0000\u0001\u0000', 'latin1')],
    ['a truncated PNG', makePng(270, 70).subarray(0, 20)],
    ['a JPEG without frame', Buffer.from([0xff, 0xd8, 0xff, 0xd9])],
    ['nothing', Buffer.alloc(0)],
  ])('recognises %s as no usable image', (_, bytes) => {
    expect(inspectImage(bytes)).toBeUndefined();
  });
});

describe('decodesFully (R6: the whole file, not only its header)', () => {
  it('accepts a real PNG and a real JPEG of the size their headers give', () => {
    expect(decodesFully(makePng(270, 70), { type: 'image/png', width: 270, height: 70 })).toBe(true);
    expect(decodesFully(makeJpeg(270, 70), { type: 'image/jpeg', width: 270, height: 70 })).toBe(true);
  });

  it.each([
    ['a PNG header followed by garbage', makeFakePng(270, 70), 'image/png'],
    ['a PNG cut after its first pixels', makePng(270, 70).subarray(0, 60), 'image/png'],
    ['a JPEG that is only its header', makeJpegHead(270, 70), 'image/jpeg'],
  ] as const)('refuses %s', (_, bytes, type) => {
    expect(decodesFully(bytes, { type, width: 270, height: 70 })).toBe(false);
  });
});

describe('logo rules (R6: shown at 270×70 px)', () => {
  const png = (width: number, height: number, bytes = 10_000) => ({
    type: 'image/png',
    width,
    height,
    bytes,
  });

  it.each([
    [270, 70],
    [540, 140],
    [2700, 700],
    [280, 70],
  ])('accepts %i×%i', (width, height) => {
    expect(logoProblems(png(width, height))).toEqual([]);
  });

  it.each([
    [200, 52, 'at least 270×70'],
    [260, 70, 'at least 270×70'],
    [270, 69, 'at least 270×70'],
    [2701, 700, 'at most 2700×700'],
    [2700, 701, 'at most 2700×700'],
    [5400, 1400, 'at most 2700×700'],
    [700, 700, 'proportions'],
  ])('refuses %i×%i (%s)', (width, height, reason) => {
    expect(logoProblems(png(width, height)).join(' ')).toContain(reason);
  });

  it('accepts proportions up to exactly 10 % off 27:7, and refuses them just past', () => {
    expect(logoProblems(png(297, 70))).toEqual([]); // 297/70 is 27/7 × 1.1
    expect(logoProblems(png(298, 70)).join(' ')).toContain('proportions');
    expect(logoProblems(png(270, 77))).toEqual([]); // 270/77 is within 27/7 × 0.9
    expect(logoProblems(png(270, 78)).join(' ')).toContain('proportions');
  });

  it('refuses a file over 1 MiB and a type other than PNG or JPEG', () => {
    expect(logoProblems({ ...png(270, 70), bytes: 1024 * 1024 })).toEqual([]);
    expect(logoProblems({ ...png(270, 70), bytes: 1024 * 1024 + 1 })).toEqual([
      'The logo must be at most 1048576 bytes.',
    ]);
    expect(logoProblems({ ...png(270, 70), type: 'image/gif' })).toEqual([
      'The logo must be a PNG or JPEG image.',
    ]);
  });
});
