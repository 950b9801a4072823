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
  /** The scanned text exactly as verified: the evidence PDF prints it as a QR and reads the holder's facts from it. */
  credentialText: string;
  fullName?: string;
  dateOfBirth?: string;
  photo?: { data: Uint8Array; subFormat?: number };
  /** Written by earlier versions (the PDF now words the status and the right from the credential itself). */
  statusSummary?: string;
  rightChecked?: string;
  /** The verdict's message at the time of check, when it said more than the reason's words (a stale list's age). */
  message?: string;
  /** Who made the check, when the desk asks for it. */
  checkerName?: string;
  /** The organisation's reference for the check (tenancy, employee or case number), when the desk asks for it. */
  reference?: string;
  /** What the reference is ("Tenancy reference"). */
  referenceLabel?: string;
}

/** The optional text members, in the order they are sealed. Field names are fixed: a copy is read back years later. */
const TEXT_FIELDS = [
  'fullName',
  'dateOfBirth',
  'statusSummary',
  'rightChecked',
  'message',
  'checkerName',
  'reference',
  'referenceLabel',
] as const;
type TextField = (typeof TEXT_FIELDS)[number];

const MAGIC = Buffer.from('PDPC', 'ascii');
const VERSION = 1;
const HEADER_BYTES = MAGIC.length + 1 + 8 + 12;
const TAG_BYTES = 16;

/** JSON form of a copy; photo bytes as base64. */
type SealedJson = { credentialText: string; photo?: { data: string; subFormat?: number } } & Partial<Record<TextField, string>>;

/**
 * The copy as the JSON text that is sealed (photo bytes as base64). Field names are fixed: copies are read back
 * years later, and the organisation's sealed copies (src/central/seal.ts) hold the same text.
 */
export function personalCopyJson(copy: PersonalCopy): string {
  const json: SealedJson = { credentialText: copy.credentialText };
  for (const field of TEXT_FIELDS) if (copy[field] !== undefined) json[field] = copy[field];
  if (copy.photo) {
    json.photo = {
      data: Buffer.from(copy.photo.data).toString('base64'),
      ...(copy.photo.subFormat !== undefined && { subFormat: copy.photo.subFormat }),
    };
  }
  return JSON.stringify(json);
}

/** The copy from its sealed JSON text; null when the text is not one (authentic but written by something else). */
export function personalCopyFromJson(text: string): PersonalCopy | null {
  let json: SealedJson;
  try {
    json = JSON.parse(text) as SealedJson;
  } catch {
    return null;
  }
  if (typeof json !== 'object' || json === null || typeof json.credentialText !== 'string') return null;
  const copy: PersonalCopy = { credentialText: json.credentialText };
  for (const field of TEXT_FIELDS) if (typeof json[field] === 'string') copy[field] = json[field];
  if (json.photo && typeof json.photo.data === 'string') {
    copy.photo = {
      data: new Uint8Array(Buffer.from(json.photo.data, 'base64')),
      ...(json.photo.subFormat !== undefined && { subFormat: json.photo.subFormat }),
    };
  }
  return copy;
}

export function sealPersonalCopy(checkId: string, copy: PersonalCopy, key: RecordKey): Buffer {
  const iv = randomBytes(12);
  const header = Buffer.concat([MAGIC, Buffer.of(VERSION), key.id, iv]);
  const cipher = createCipheriv('aes-256-gcm', key.bytes, iv);
  cipher.setAAD(Buffer.concat([header, Buffer.from(checkId, 'utf8')]));
  const body = Buffer.concat([cipher.update(personalCopyJson(copy), 'utf8'), cipher.final()]);
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
    throw new RecordError(
      'PERSONAL_COPY_TAMPERED',
      `personal copy of check ${checkId} failed its integrity check: it was altered or damaged`,
    );
  }
  const copy = personalCopyFromJson(plain.toString('utf8'));
  // Authentic but unreadable: written by something that is not this code.
  if (copy === null)
    throw new RecordError('PERSONAL_COPY_TAMPERED', `personal copy of check ${checkId} opened but is not in the expected form`);
  return copy;
}
