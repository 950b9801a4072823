/**
 * The record store as the desk's CheckRecorder (src/kiosk/desk.ts). The record of a check is the check's
 * description (src/check/), the same one every screen shows: its outcome and follow-up date in the log; the holder's
 * details only in the sealed personal copy, and only for a code whose signature verified (the description shows a
 * person only then).
 */
import { credentialSha256, type PersonalCopy, type RecordStore } from '../records/index.js';
import { MAX_STATUS_LIST_URI } from '../records/entries.js';
import { photoBytes } from '../screen/photo.js';
import { REASON_TEXT } from '../verify/messages.js';
import type { Verdict } from '../verify/verdict.js';
import type { CheckRecorder } from './desk.js';

export function storeRecorder(store: RecordStore, keepPersonal: boolean): CheckRecorder {
  return {
    recordCheck({ checkId, at, text, verdict, description }) {
      let personal: PersonalCopy | undefined;
      if (keepPersonal && description.person) {
        const photo = photoBytes(verdict.identity);
        personal = {
          credentialText: text,
          fullName: description.person.name,
          ...(description.person.dateOfBirth ? { dateOfBirth: description.person.dateOfBirth } : {}),
          ...(photo
            ? {
                photo: { data: photo, ...(verdict.identity?.photoFormat !== undefined ? { subFormat: verdict.identity.photoFormat } : {}) },
              }
            : {}),
          ...(verdict.reason !== null && verdict.message !== REASON_TEXT[verdict.reason].message ? { message: verdict.message } : {}),
        };
      }
      store.appendCheck(
        {
          checkId,
          at: at.toISOString(),
          purpose: description.purpose,
          verdict: verdict.verdict,
          reason: verdict.reason,
          kid: verdict.kid,
          credentialSha256: credentialSha256(text),
          followUpDate: description.followUp.date,
          outcome: description.outcome,
          ...(description.revocation !== null ? { revocation: description.revocation } : {}),
          ...(description.demo ? { demo: true as const } : {}),
          ...statusListRefOf(verdict),
          ...(verdict.credentialId !== null && { credentialId: verdict.credentialId }),
        },
        personal,
      );
    },
    recordLikeness(checkId, answer, at, description) {
      store.appendLikeness(checkId, answer, at, description.outcome);
    },
    recordDetails(checkId, details) {
      store.addPersonalDetails(checkId, details); // the sealed copy only: the log never holds them
    },
  };
}

/** Where a verified code's revocation status is published, for the record (an unverified code's claim is not kept). */
function statusListRefOf(verdict: Verdict): { statusListUri?: string; statusListIdx?: number } {
  const ref = verdict.verifiedBy !== null ? verdict.statusList : null;
  return ref && ref.uri.length <= MAX_STATUS_LIST_URI ? { statusListUri: ref.uri, statusListIdx: ref.idx } : {};
}
