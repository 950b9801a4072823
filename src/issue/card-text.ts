/**
 * Every word printed on the holder's card and its page, in one place. A translation is another `CardWords` object
 * (same keys; the functions build sentences around dates and names, so word order can change per language).
 *
 * Rules the words follow: no verdict words (only a check says VALID: the card says "Code expires", "Permission
 * ends"); the card never presents itself as a Home Office document; the printed words prove nothing on their own,
 * only the scanned code does; and an offline check is not a statutory excuse (the Home Office online service is).
 */
import { statusLine } from '../check/words.js';
import type { StatusClaim } from '../credential/types.js';

export interface CardWords {
  /** BCP 47 tag, written into the PDF. */
  lang: string;
  months: readonly string[];
  monthsShort: readonly string[];
  title: string;
  notHomeOffice: string;
  demoBand: string;
  demoWatermark: string;
  born: string;
  permissionEnds: string;
  noEndDate: string;
  codeExpires: string;
  issuedBy: (issuer: string) => string;
  made: (day: string) => string;
  demoIssuer: string;
  keyIssuer: (kid: string) => string;
  status: (s: StatusClaim) => string;
  /** `brief`: a work restriction named but not spelled out, for a card front with no room for it. */
  rights: (s: StatusClaim, brief?: boolean) => string;
  identityOnly: string;
  back: { title: string; lines: readonly string[] };
  page: {
    title: string;
    subtitle: (issuer: string) => string;
    demoNotice: string;
    printHint: string;
    scaleLabel: string;
    cutHint: string;
    fold: string;
    largeCodeCaption: string;
    factsHeading: string;
    name: string;
    status: string;
    permissionEnds: string;
    codeExpires: string;
    codeExpiresValue: (date: string) => string;
    noteHeading: string;
    note: (facts: { codeExpires: string; revocable: boolean }) => readonly string[];
    worth: string;
  };
}

/** The rights the status states, short enough for one or two card lines. */
function rightsInWords(s: StatusClaim, brief = false): string {
  if (s.statusType === 'pending') return 'Work and rent: temporary while the application is pending';
  const restricted = s.work.kind === 'restricted' ? (brief ? 'Work: restricted' : `Work: restricted (${s.work.condition})`) : '';
  const work = s.work.kind === 'unrestricted' ? 'Work: yes' : s.work.kind === 'restricted' ? restricted : 'Work: no';
  return `${work} · Rent: ${s.rent ? 'yes' : 'no'} · Public funds: ${s.publicFunds ? 'yes' : 'no'}`;
}

const EN: CardWords = {
  lang: 'en-GB',
  months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  monthsShort: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  title: 'Immigration status QR card',
  notHomeOffice: 'Not a Home Office document',
  demoBand: 'DEMO - NOT A REAL CARD',
  demoWatermark: 'DEMO',
  born: 'Born',
  permissionEnds: 'Permission ends',
  noEndDate: 'No end date',
  codeExpires: 'Code expires',
  issuedBy: (issuer) => `Issued by ${issuer}`,
  made: (day) => `made ${day}`,
  demoIssuer: 'the proofdesk DEMO issuer',
  keyIssuer: (kid) => `issuer key ${kid}`,
  status: statusLine,
  rights: rightsInWords,
  identityOnly: 'Identity only: no immigration status',
  back: {
    title: 'How to check this card',
    lines: [
      'Scan the QR code on the front at a proofdesk desk, or photograph it and run: proofdesk verify --image PHOTO.jpg',
      "The printed words prove nothing on their own. Only the scanned code, checked against the issuer's key, does.",
      'An offline check is supporting evidence only. A right-to-work or right-to-rent statutory excuse still needs a share-code check with the Home Office online service.',
    ],
  },
  page: {
    title: 'Your immigration status QR card',
    subtitle: (issuer) => `Made by ${issuer}. This is not a Home Office document.`,
    demoNotice: 'DEMO: made with demonstration keys. It proves nothing about anyone.',
    printHint: 'Print this page at 100 % (actual size), not "fit to page".',
    scaleLabel: 'This line should measure 5 cm',
    cutHint: 'Cut along the outer marks, fold on the dashed line, and keep the card flat (a wallet or a plastic sleeve).',
    fold: 'fold',
    largeCodeCaption: "The same code, larger: scan this one if the card's code will not read.",
    factsHeading: 'What the code says',
    name: 'Name',
    status: 'Status',
    permissionEnds: 'Permission ends',
    codeExpires: 'Code expires',
    codeExpiresValue: (date) => `${date} (end of the day, UK time)`,
    noteHeading: 'About this card',
    note: ({ codeExpires, revocable }) => [
      'This card is a paper backup of your digital immigration status. Its QR code holds your photo, your name and your status, signed by the issuer, so it can be checked even when the online service does not work.',
      `The code expires at the end of ${codeExpires}. After that, ask the issuer for a new card.`,
      revocable
        ? 'If you lose the card, or your status changes, tell the issuer: they can cancel this code and make a new one.'
        : 'If you lose the card, or your status changes, tell the issuer and ask for a new card. This card cannot be cancelled before it expires.',
      'Keep using your share code too: employers and landlords must use the Home Office online service for a statutory excuse.',
    ],
    worth:
      'Supporting evidence only: an offline QR check is not a statutory excuse. For right to work or right to rent, use the Home Office online service.',
  },
};

/** The card's words for a language (English is the only one today). */
export function cardWords(lang = 'en'): CardWords {
  if (lang === 'en' || lang.startsWith('en-')) return EN;
  throw new RangeError(`no card words for language ${lang}`);
}

/** `YYYY-MM-DD` → "3 Dec 2028" (short) or "3 December 2028" (long). */
export function formatDay(iso: string, words: CardWords, style: 'short' | 'long' = 'long'): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return `${d} ${(style === 'short' ? words.monthsShort : words.months)[m - 1]} ${y}`;
}
