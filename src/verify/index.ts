/** The verifier: text + pinned keys + policy → Verdict. Knows nothing of devices. */
export { verify, decodeText, kidToString, timeReason } from './verify.js';
export { inspect, type Decoded } from './inspect.js';
export { toJson, decodedToJson, identityToJson, type Json } from './json.js';
export { deskPolicy, permissionReason, purposeAccepted, deskDate } from './policy.js';
export { stageOf, kindOf, type Stage } from './stages.js';
export type { VerifyOptions, TrustContext } from './options.js';
export { REASON_CODES, type ReasonCode, type Verdict, type VerdictKind } from './verdict.js';
export { REASON_TEXT, VALID_TEXT, type ReasonText } from './messages.js';
