/**
 * The personal copy (the employer's or landlord's copy of what was shown), sealed with AES-256-GCM.
 *
 * Blob: "PDPC" | version 1 | key id (8) | IV (12) | tag (16) | ciphertext.
 * The additional data is the header plus the check id, so a copy cannot be moved to another check unnoticed.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { RecordError } from './errors.js';
import type { RecordKey } from './key-file.js';

export interface PersonalCopy {
  /** The scanned text exactly as read: the evidence PDF prints it as a QR so anyone can re-verify it. */
  credentialText: string;
  fullName?: string;
  dateOfBirth?: string;
  photo?: { data: Uint8Array; subFormat?: number };
  /** e.g. "EU Settlement Scheme: settled status". */
  statusSummary?: string;
  /** e.g. "Right to work: unrestricted". */
  rightChecked?: string;
}

const MAGIC = Buffer.from('PDPC', 'ascii');
const VERSION = 1;
const HEADER_BYTES = MAGIC.length + 1 + 8 + 12;
const TAG_BYTES = 16;

/** JSON form of a copy; photo bytes as base64. Field names are fixed: the format is read back years later. */
interface SealedJson {
  credentialText: string;
  fullName?: string;
  dateOfBirth?: string;
  photo?: { data: string; subFormat?: number };
  statusSummary?: string;
  rightChecked?: string;
}

export function sealPersonalCopy(checkId: string, copy: PersonalCopy, key: RecordKey): Buffer {
  const json: SealedJson = {
    credentialText: copy.credentialText,
    ...(copy.fullName !== undefined && { fullName: copy.fullName }),
    ...(copy.dateOfBirth !== undefined && { dateOfBirth: copy.dateOfBirth }),
    ...(copy.photo && {
      photo: {
        data: Buffer.from(copy.photo.data).toString('base64'),
        ...(copy.photo.subFormat !== undefined && { subFormat: copy.photo.subFormat }),
      },
    }),
    ...(copy.statusSummary !== undefined && { statusSummary: copy.statusSummary }),
    ...(copy.rightChecked !== undefined && { rightChecked: copy.rightChecked }),
  };
  const iv = randomBytes(12);
  const header = Buffer.concat([MAGIC, Buffer.of(VERSION), key.id, iv]);
  const cipher = createCipheriv('aes-256-gcm', key.bytes, iv);
  cipher.setAAD(Buffer.concat([header, Buffer.from(checkId, 'utf8')]));
  const body = Buffer.concat([cipher.update(JSON.stringify(json), 'utf8'), cipher.final()]);
  return Buffer.concat([header, cipher.getAuthTag(), body]);
}

/** The key id a sealed copy names (null when it is not a sealed copy). */
export function sealedKeyId(blob: Uint8Array): Buffer | null {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buf.length < HEADER_BYTES + TAG_BYTES || !buf.subarray(0, 4).equals(MAGIC) || buf[4] !== VERSION) return null;
  return Buffer.from(buf.subarray(5, 13));
}

export function openPersonalCopy(checkId: string, blob: Uint8Array, key: RecordKey): PersonalCopy {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buf.length < HEADER_BYTES + TAG_BYTES || !buf.subarray(0, 4).equals(MAGIC) || buf[4] !== VERSION) {
    throw new RecordError('PERSONAL_COPY_TAMPERED', `personal copy of check ${checkId} is damaged (not a sealed copy)`);
  }
  const header = buf.subarray(0, HEADER_BYTES);
  const storedKeyId = buf.subarray(5, 13);
  if (!storedKeyId.equals(key.id)) {
    throw new RecordError(
      'WRONG_KEY',
      `personal copy of check ${checkId} was sealed with another key (key id ${storedKeyId.toString('hex')}, this key file is ${key.id.toString('hex')})`,
    );
  }
  const iv = buf.subarray(13, HEADER_BYTES);
  const tag = buf.subarray(HEADER_BYTES, HEADER_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key.bytes, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.concat([header, Buffer.from(checkId, 'utf8')]));
  decipher.setAuthTag(tag);
  let plain: Buffer;
  try {
    plain = Buffer.concat([decipher.update(buf.subarray(HEADER_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new RecordError('PERSONAL_COPY_TAMPERED', `personal copy of check ${checkId} failed its integrity check: it was altered or damaged`);
  }
  let json: SealedJson;
  try {
    json = JSON.parse(plain.toString('utf8')) as SealedJson;
    if (typeof json.credentialText !== 'string') throw new Error('no credential text');
  } catch {
    // Authentic but unreadable: written by something that is not this code.
    throw new RecordError('PERSONAL_COPY_TAMPERED', `personal copy of check ${checkId} opened but is not in the expected form`);
  }
  return {
    credentialText: json.credentialText,
    ...(json.fullName !== undefined && { fullName: json.fullName }),
    ...(json.dateOfBirth !== undefined && { dateOfBirth: json.dateOfBirth }),
    ...(json.photo && {
      photo: {
        data: new Uint8Array(Buffer.from(json.photo.data, 'base64')),
        ...(json.photo.subFormat !== undefined && { subFormat: json.photo.subFormat }),
      },
    }),
    ...(json.statusSummary !== undefined && { statusSummary: json.statusSummary }),
    ...(json.rightChecked !== undefined && { rightChecked: json.rightChecked }),
  };
}
