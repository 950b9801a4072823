/** The one description of a check (verdict + desk purpose + the clerk's answer), read by every display and record. */
export {
  describeCheck,
  factsFromVerdict,
  isoDateOrAsIssued,
  personName,
  type CheckDescription,
  type CheckFacts,
  type CheckIcon,
  type CheckColour,
  type RightAnswer,
  type RightLine,
  type StatusFacts,
} from './describe.js';
export { OUTCOMES, outcomeOf, type Outcome, type Likeness, type LikenessAnswer } from './outcome.js';
export { followUpFor, addMonths, type FollowUp, type FollowUpRule } from './follow-up.js';
export { nonAnswerOf, NON_ANSWER_TEXT, type NonAnswer } from './non-answer.js';
export { revocationOf, REVOCATIONS, type Revocation } from './revocation.js';
export * from './words.js';
