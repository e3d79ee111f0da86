/**
 * CRC-32C (Castagnoli), the checksum of Kafka record batches. Node's zlib.crc32 is CRC-32/IEEE,
 * a different polynomial, so it cannot be used here.
 *
 * Slicing-by-8: eight 256-entry tables let the loop consume eight bytes per step, which keeps
 * checksumming well above disk speed when the broker scans its logs at startup.
 */
const POLYNOMIAL = 0x82f63b78; // reflected 0x1EDC6F41
const TABLES = buildTables();

function buildTables(): Int32Array {
  const tables = new Int32Array(256 * 8);
  for (let n = 0; n < 256; n++) {
    let crc = n;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 1 ? (crc >>> 1) ^ POLYNOMIAL : crc >>> 1;
    }
    tables[n] = crc;
  }
  for (let n = 0; n < 256; n++) {
    for (let slice = 1; slice < 8; slice++) {
      const previous = tables[(slice - 1) * 256 + n];
      tables[slice * 256 + n] = (previous >>> 8) ^ tables[previous & 0xff];
    }
  }

  return tables;
}

/** CRC-32C of `data[start, end)` as an unsigned 32-bit number. */
export function crc32c(data: Uint8Array, start = 0, end = data.length): number {
  const t = TABLES;
  let crc = ~0;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const low = crc ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24));
    const high = data[i + 4] | (data[i + 5] << 8) | (data[i + 6] << 16) | (data[i + 7] << 24);
    crc =
      t[1792 + (low & 0xff)] ^
      t[1536 + ((low >>> 8) & 0xff)] ^
      t[1280 + ((low >>> 16) & 0xff)] ^
      t[1024 + (low >>> 24)] ^
      t[768 + (high & 0xff)] ^
      t[512 + ((high >>> 8) & 0xff)] ^
      t[256 + ((high >>> 16) & 0xff)] ^
      t[high >>> 24];
  }
  for (; i < end; i++) {
    crc = t[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  }

  return ~crc >>> 0;
}
