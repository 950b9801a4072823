/**
 * Hard limits of the decoder. Each one bounds the work or memory a hostile scan can cost.
 * docs/credential-format.md lists them; changing one is a format decision, not a tuning knob.
 */

/**
 * Longest scanned text we look at: a QR code holds at most QR_MAX_CHARS (src/scan/types.ts, ISO/IEC 18004 version
 * 40-L alphanumeric); allow headroom. The codec imports nothing above it, so this is its own bound, not that one.
 */
export const MAX_TEXT_CHARS = 8192;
/** Largest inflated COSE structure. zlib stops here, so a decompression bomb costs at most this much memory. */
export const MAX_INFLATED_BYTES = 65536;
/** Deepest CBOR nesting (arrays, maps, tags). Real credentials nest 5–6 deep. */
export const MAX_CBOR_DEPTH = 16;
/** Most CBOR data items in one decode (each map entry counts its key and its value). */
export const MAX_CBOR_ITEMS = 4096;
/** Largest single byte or text string — bounds a photo or biometric sample (the issuer aims for ~600 B). */
export const MAX_CBOR_STRING_BYTES = 32768;
/** Most entries in one biometric array, and most biometric/identity fields. */
export const MAX_BIOMETRIC_ENTRIES = 16;
/** With no kid, how many pinned keys of the message's algorithm we try before giving up. */
export const MAX_KEYS_TRIED_WITHOUT_KID = 8;
/**
 * Default clock-skew tolerance for exp / nbf (a policy setting: VerifyOptions.skewSeconds). The one definition: the
 * trust layer (future-dated bundles and lists, the clock floor) and the kiosk config's `trust.skewSeconds` use it.
 */
export const DEFAULT_SKEW_SECONDS = 300;
