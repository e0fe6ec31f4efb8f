import { isUtf8 } from 'node:buffer';
import type { TreeNode } from '../tree/tree.js';

const BLOCK = 512;
const TYPE_FLAGS: Partial<Record<TreeNode['type'], string>> = {
  file: '0',
  symlink: '2',
  chardev: '3',
  blockdev: '4',
  dir: '5',
  fifo: '6',
};

export interface TarEntry {
  /** Path inside the archive, as bytes. */
  name: Buffer;
  node: TreeNode;
  /** For a hard link: the archive path of the first copy. */
  hardLinkTo?: Buffer;
}

/** Whether tar can represent the entry at all (sockets cannot). */
export function tarSupports(node: TreeNode): boolean {
  return TYPE_FLAGS[node.type] !== undefined;
}

/**
 * The header block(s) of one entry: POSIX ustar, preceded by a PAX record whenever a field does not
 * fit (long or non-ASCII names and link targets, sizes over 8 GiB, sub-second times).
 */
export function tarHeader({ name, node, hardLinkTo }: TarEntry): Buffer {
  const isDir = node.type === 'dir';
  const path = isDir ? Buffer.concat([name, Buffer.from('/')]) : name;
  const link = hardLinkTo ?? linkTarget(node);
  const size = node.type === 'file' && !hardLinkTo ? (node.size ?? 0) : 0;
  const mtimeNs = BigInt(node.mtime);
  const pax: [string, Buffer][] = [];
  if (path.length > 100 || !isAscii(path)) pax.push(['path', path]);
  if (link.length > 100 || !isAscii(link)) pax.push(['linkpath', link]);
  if (size > 0o77777777777) pax.push(['size', Buffer.from(String(size))]);
  // ustar's octal field holds neither fractions nor times before 1970.
  if (mtimeNs % 1_000_000_000n !== 0n || mtimeNs < 0n || mtimeNs / 1_000_000_000n > 0o77777777777n) {
    pax.push(['mtime', Buffer.from(formatNs(mtimeNs))]);
  }
  if (node.user) pax.push(['uname', Buffer.from(node.user)]);
  if (node.group) pax.push(['gname', Buffer.from(node.group)]);
  // PAX values are UTF-8 unless the header says otherwise; strict readers refuse other bytes.
  if (pax.some(([, value]) => !isUtf8(value))) pax.unshift(['hdrcharset', Buffer.from('BINARY')]);

  const header = ustar({
    name: path.subarray(0, 100),
    mode: node.mode,
    uid: node.uid,
    gid: node.gid,
    size,
    mtime: Number(mtimeNs / 1_000_000_000n),
    type: hardLinkTo ? '1' : TYPE_FLAGS[node.type]!,
    link: link.subarray(0, 100),
    rdev: BigInt(node.rdev ?? '0'),
  });
  if (pax.length === 0) return header;
  const body = Buffer.concat(pax.map(([key, value]) => paxRecord(key, value)));
  const paxHeader = ustar({
    name: Buffer.from('PaxHeader'),
    mode: 0o644,
    uid: 0,
    gid: 0,
    size: body.length,
    mtime: 0,
    type: 'x',
    link: Buffer.alloc(0),
    rdev: 0n,
  });
  return Buffer.concat([paxHeader, body, padding(body.length), header]);
}

/** Zeros that fill a member's content up to the next 512-byte block. */
export function padding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** Two empty blocks end an archive. */
export const TAR_END = Buffer.alloc(2 * BLOCK);

function linkTarget(node: TreeNode): Buffer {
  if (node.linkTargetRaw !== undefined) return Buffer.from(node.linkTargetRaw, 'base64');
  return Buffer.from(node.linkTarget ?? '');
}

function isAscii(bytes: Buffer): boolean {
  return bytes.every((byte) => byte > 0 && byte < 0x80);
}

/** Seconds with nine decimals; a negative time is the negated magnitude ("-1.5"), as PAX reads it. */
function formatNs(ns: bigint): string {
  const magnitude = ns < 0n ? -ns : ns;
  const fraction = (magnitude % 1_000_000_000n).toString().padStart(9, '0');
  return `${ns < 0n ? '-' : ''}${magnitude / 1_000_000_000n}.${fraction}`;
}

/** "<length> <key>=<value>\n", where the length counts itself. */
function paxRecord(key: string, value: Buffer): Buffer {
  const rest = Buffer.byteLength(` ${key}=`) + value.length + 1;
  let length = rest + String(rest).length;
  if (String(length).length !== String(rest).length) length++;
  return Buffer.concat([Buffer.from(`${length} ${key}=`), value, Buffer.from('\n')]);
}

interface UstarFields {
  name: Buffer;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  type: string;
  link: Buffer;
  rdev: bigint;
}

function ustar(fields: UstarFields): Buffer {
  const block = Buffer.alloc(BLOCK);
  const octal = (value: number | bigint, at: number, width: number) =>
    block.write(`${value.toString(8).padStart(width - 1, '0')}\0`, at, 'ascii');
  fields.name.copy(block, 0);
  octal(fields.mode & 0o7777, 100, 8);
  octal(Math.min(fields.uid, 0o7777777), 108, 8);
  octal(Math.min(fields.gid, 0o7777777), 116, 8);
  octal(Math.min(fields.size, 0o77777777777), 124, 12);
  octal(Math.max(0, Math.min(fields.mtime, 0o77777777777)), 136, 12);
  block.write(fields.type, 156, 'ascii');
  fields.link.copy(block, 157);
  block.write('ustar\u000000', 257, 'ascii');
  const major = ((fields.rdev >> 8n) & 0xfffn) | ((fields.rdev >> 32n) & ~0xfffn);
  const minor = (fields.rdev & 0xffn) | ((fields.rdev >> 12n) & ~0xffn);
  octal(major, 329, 8);
  octal(minor, 337, 8);
  block.write('        ', 148, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}
