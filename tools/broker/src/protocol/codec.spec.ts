import { FrameDecoder, FrameTooLargeError } from './frame-decoder';
import { Reader } from './reader';
import { readRequestHeader } from './request-header';
import { encodeVarInt, encodeVarLong, readVarInt, readVarLong } from './varint';
import { Writer } from './writer';

describe(Writer.name, () => {
  it('round-trips int64 extremes and negative sentinels through the Reader', () => {
    const values = [-(2n ** 63n), 2n ** 63n - 1n, -1n, -2n, 0n];
    const writer = new Writer();
    values.forEach((value) => writer.int64(value));
    const reader = new Reader(writer.toBuffer());

    expect(values.map(() => reader.int64())).toEqual(values);
  });

  it('keeps null and empty strings and bytes apart', () => {
    const writer = new Writer()
      .nullableString(null)
      .nullableString('')
      .nullableBytes(null)
      .bytes(Buffer.alloc(0));
    const reader = new Reader(writer.toBuffer());

    expect(reader.nullableString()).toBeNull();
    expect(reader.nullableString()).toBe('');
    expect(reader.nullableBytes()).toBeNull();
    expect(reader.nullableBytes()).toEqual(Buffer.alloc(0));
  });

  it('writes compact strings and arrays with length + 1 and no zigzag', () => {
    const buffer = new Writer()
      .compactString('abc')
      .compactArray([1, 2], (w, n) => w.int8(n))
      .toBuffer();

    expect([...buffer]).toEqual([4, 0x61, 0x62, 0x63, 3, 1, 2]);
    const reader = new Reader(buffer);
    expect(reader.compactString()).toBe('abc');
  });

  it('keeps large byte blocks in order with the small fields around them', () => {
    const block = Buffer.alloc(5000, 7);
    const buffer = new Writer().int32(1).bytes(block).int16(2).toBuffer();
    const reader = new Reader(buffer);

    expect([reader.int32(), reader.bytes().equals(block), reader.int16()]).toEqual([1, true, 2]);
  });
});

describe(Reader.name, () => {
  it('throws a RangeError instead of reading past the end', () => {
    expect(() => new Reader(Buffer.from([0, 5, 0x61])).string()).toThrow(RangeError);
  });

  it('refuses an array count larger than the remaining bytes', () => {
    const reader = new Reader(Buffer.from([0x7f, 0xff, 0xff, 0xff]));

    expect(() => reader.array((r) => r.int8())).toThrow(RangeError);
  });

  it('skips a tagged field block', () => {
    const reader = new Reader(Buffer.from([2, 0, 1, 0xaa, 5, 2, 0xbb, 0xcc, 0x42]));
    reader.skipTaggedFields();

    expect(reader.int8()).toBe(0x42);
  });
});

describe('record varints', () => {
  it.each([0, -1, 1, 63, 64, -64, -65, 2 ** 31 - 1, -(2 ** 31)])('round-trips %d', (value) => {
    expect(readVarInt({ buffer: encodeVarInt(value), offset: 0 })).toBe(value);
  });

  it('encodes with zigzag, so -1 is one byte', () => {
    expect([...encodeVarInt(-1)]).toEqual([1]);
    expect([...encodeVarInt(64)]).toEqual([0x80, 0x01]);
  });

  it.each([0n, -1n, 2n ** 63n - 1n, -(2n ** 63n)])('round-trips varlong %s', (value) => {
    expect(readVarLong({ buffer: encodeVarLong(value), offset: 0 })).toBe(value);
  });
});

describe(FrameDecoder.name, () => {
  const frame = (payload: string) => {
    const body = Buffer.from(payload);
    const size = Buffer.alloc(4);
    size.writeInt32BE(body.length);

    return Buffer.concat([size, body]);
  };

  it('reassembles a frame split at every byte', () => {
    const decoder = new FrameDecoder(1000);
    const bytes = frame('hello');
    const frames = [...bytes].flatMap((byte) => decoder.push(Buffer.from([byte])));

    expect(frames.map(String)).toEqual(['hello']);
  });

  it('separates frames that arrive in one chunk', () => {
    const decoder = new FrameDecoder(1000);
    const chunk = Buffer.concat([frame('a'), frame('bc'), frame('def').subarray(0, 5)]);

    expect(decoder.push(chunk).map(String)).toEqual(['a', 'bc']);
    expect(decoder.push(frame('def').subarray(5)).map(String)).toEqual(['def']);
  });

  it('refuses a frame above the size limit before buffering it', () => {
    const decoder = new FrameDecoder(4);

    expect(() => decoder.push(frame('too long'))).toThrow(FrameTooLargeError);
  });
});

describe(readRequestHeader.name, () => {
  it('reads a flexible header: classic client id, then a tag block', () => {
    const header = new Writer()
      .int16(18)
      .int16(3)
      .int32(7)
      .string('rdkafka')
      .emptyTaggedFields()
      .compactString('librdkafka')
      .toBuffer();
    const reader = new Reader(header);

    expect(readRequestHeader(reader)).toEqual({
      apiKey: 18,
      apiVersion: 3,
      correlationId: 7,
      clientId: 'rdkafka',
    });
    expect(reader.compactString()).toBe('librdkafka');
  });
});
