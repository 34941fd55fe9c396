/**
 * The 512-byte ustar header of a blob entry, byte for byte what tar-stream's `pack` writes for
 * `{ name, size, mode: 0o644, mtime: 0, uid: 0, gid: 0, type: 'file' }`: a pack is named by its
 * etag, so a server that builds its headers itself must send the bytes an older one sent (an
 * HTTP cache in front may hold either). Only the name, the size and the checksum vary, so they
 * are written into a copy of one template instead of through a general encoder per entry.
 */
export function blobEntryHeader(name: string, size: number): Buffer {
  const header = Buffer.from(TEMPLATE);
  // Names are sha256 hex: ASCII, well under the field's 100 bytes.
  header.write(name, 0, 100, 'latin1');
  writeSize(header, size);
  let sum = 8 * 0x20; // the checksum field itself counts as spaces
  for (let i = 0; i < 148; i++) sum += header[i]!;
  for (let i = 156; i < 512; i++) sum += header[i]!;
  header.write(octal(sum, 6), 148, 'latin1');
  return header;
}

/** Zero bytes that pad an entry's data to a whole block. */
export function padding(size: number): Buffer {
  return ZEROS.subarray(0, (512 - (size % 512)) % 512);
}

/** Two zero blocks: the end of an archive. */
export const END_OF_TAR: Buffer = Buffer.alloc(1024);

const ZEROS = Buffer.alloc(512);

const TEMPLATE: Buffer = (() => {
  const header = Buffer.alloc(512);
  header.write(octal(0o644, 6), 100, 'latin1');
  header.write(octal(0, 6), 108, 'latin1'); // uid
  header.write(octal(0, 6), 116, 'latin1'); // gid
  header.write(octal(0, 11), 136, 'latin1'); // mtime: the epoch, so a pack is a function of its blobs
  header[156] = 0x30; // typeflag '0': a file
  header.write('ustar\x0000', 257, 'latin1');
  header.write(octal(0, 6), 329, 'latin1'); // devmajor
  header.write(octal(0, 6), 337, 'latin1'); // devminor
  return header;
})();

/** `value` in `digits` octal digits and a space, as tar-stream writes numeric fields. */
function octal(value: number, digits: number): string {
  return `${value.toString(8).padStart(digits, '0')} `;
}

/** The size field: 11 octal digits, or base-256 (a leading 0x80 byte) past 8 GiB, as tar-stream does. */
function writeSize(header: Buffer, size: number): void {
  if (size.toString(8).length <= 11) {
    header.write(octal(size, 11), 124, 'latin1');
    return;
  }
  header[124] = 0x80;
  let rest = size;
  for (let i = 11; i > 0; i--) {
    header[124 + i] = rest & 0xff;
    rest = Math.floor(rest / 0x100);
  }
}
