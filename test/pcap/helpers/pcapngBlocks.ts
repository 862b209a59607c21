/** Hand-built pcapng blocks for cases the writer never produces (several sections, SPB, OPB, options). */

export function block(type: number, body: Uint8Array, littleEndian = true): Buffer {
  const padded = (body.length + 3) & ~3;
  const length = 12 + padded;
  const out = Buffer.alloc(length);
  const write = (value: number, offset: number) =>
    littleEndian ? out.writeUInt32LE(value >>> 0, offset) : out.writeUInt32BE(value >>> 0, offset);
  write(type, 0);
  write(length, 4);
  out.set(body, 8);
  write(length, length - 4);
  return out;
}

function fields(littleEndian: boolean, parts: [number, 2 | 4][]): Buffer {
  const out = Buffer.alloc(parts.reduce((n, [, size]) => n + size, 0));
  let o = 0;
  for (const [value, size] of parts) {
    if (size === 2) o = littleEndian ? out.writeUInt16LE(value, o) : out.writeUInt16BE(value, o);
    else o = littleEndian ? out.writeUInt32LE(value >>> 0, o) : out.writeUInt32BE(value >>> 0, o);
  }
  return out;
}

export function sectionHeader(littleEndian = true): Buffer {
  const body = Buffer.concat([
    fields(littleEndian, [
      [0x1a2b3c4d, 4],
      [1, 2],
      [0, 2],
    ]),
    Buffer.alloc(8, 0xff), // section length unknown
  ]);
  return block(0x0a0d0d0a, body, littleEndian);
}

export interface InterfaceOptions {
  linkType?: number;
  snapLength?: number;
  tsresol?: number;
  tsoffsetSeconds?: number;
}

export function interfaceDescription(options: InterfaceOptions = {}, littleEndian = true): Buffer {
  const parts: Buffer[] = [
    fields(littleEndian, [
      [options.linkType ?? 1, 2],
      [0, 2],
      [options.snapLength ?? 262144, 4],
    ]),
  ];
  if (options.tsresol !== undefined) {
    parts.push(
      fields(littleEndian, [
        [9, 2],
        [1, 2],
      ]),
      Buffer.from([options.tsresol, 0, 0, 0]),
    );
  }
  if (options.tsoffsetSeconds !== undefined) {
    const value = Buffer.alloc(8);
    if (littleEndian) value.writeBigInt64LE(BigInt(options.tsoffsetSeconds));
    else value.writeBigInt64BE(BigInt(options.tsoffsetSeconds));
    parts.push(
      fields(littleEndian, [
        [14, 2],
        [8, 2],
      ]),
      value,
    );
  }
  parts.push(
    fields(littleEndian, [
      [0, 2],
      [0, 2],
    ]),
  );
  return block(1, Buffer.concat(parts), littleEndian);
}

/** Enhanced Packet Block; `units` is the timestamp in the interface's resolution. */
export function enhancedPacket(
  interfaceId: number,
  units: bigint,
  data: Uint8Array,
  littleEndian = true,
): Buffer {
  const head = fields(littleEndian, [
    [interfaceId, 4],
    [Number(units >> 32n), 4],
    [Number(units & 0xffffffffn), 4],
    [data.length, 4],
    [data.length, 4],
  ]);
  return block(6, Buffer.concat([head, data]), littleEndian);
}

/** The obsolete Packet Block (type 2): 16-bit interface id and drops count. */
export function obsoletePacket(
  interfaceId: number,
  units: bigint,
  data: Uint8Array,
  littleEndian = true,
): Buffer {
  const head = fields(littleEndian, [
    [interfaceId, 2],
    [0, 2],
    [Number(units >> 32n), 4],
    [Number(units & 0xffffffffn), 4],
    [data.length, 4],
    [data.length, 4],
  ]);
  return block(2, Buffer.concat([head, data]), littleEndian);
}

export function simplePacket(data: Uint8Array, littleEndian = true): Buffer {
  return block(3, Buffer.concat([fields(littleEndian, [[data.length, 4]]), data]), littleEndian);
}
