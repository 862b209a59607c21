/**
 * Integer reads straight from a byte array. Plain indexing keeps the hot path free of DataView or
 * Buffer objects per packet; callers check bounds once per header.
 */
export type Bytes = Uint8Array;

export function u16be(b: Bytes, o: number): number {
  return ((b[o] as number) << 8) | (b[o + 1] as number);
}

export function u16le(b: Bytes, o: number): number {
  return (b[o] as number) | ((b[o + 1] as number) << 8);
}

export function u32be(b: Bytes, o: number): number {
  return (
    (((b[o] as number) << 24) |
      ((b[o + 1] as number) << 16) |
      ((b[o + 2] as number) << 8) |
      (b[o + 3] as number)) >>>
    0
  );
}

export function u32le(b: Bytes, o: number): number {
  return (
    ((b[o] as number) |
      ((b[o + 1] as number) << 8) |
      ((b[o + 2] as number) << 16) |
      ((b[o + 3] as number) << 24)) >>>
    0
  );
}

export function u16(b: Bytes, o: number, littleEndian: boolean): number {
  return littleEndian ? u16le(b, o) : u16be(b, o);
}

export function u32(b: Bytes, o: number, littleEndian: boolean): number {
  return littleEndian ? u32le(b, o) : u32be(b, o);
}
