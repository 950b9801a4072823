/**
 * Where each screen's likeness answer goes, made from the desk before any screen or scanner exists. The web page
 * names the check it answers (refused when that check is not the one asking); a key on the kiosk's own terminal or
 * on a bridge box answers the check on screen now, if there is one.
 */
import type { LikenessAnswer } from '../check/outcome.js';
import type { Desk } from './desk.js';

export interface LikenessRouting {
  web(checkId: string, answer: LikenessAnswer): boolean;
  terminal(answer: LikenessAnswer): void;
  bridge(answer: LikenessAnswer): void;
}

export function likenessRouting(desk: Desk): LikenessRouting {
  const onScreen = (via: 'terminal' | 'bridge') => (answer: LikenessAnswer) => {
    const id = desk.state.checkId;
    if (id) desk.answerLikeness(id, answer, via);
  };
  return {
    web: (checkId, answer) => desk.answerLikeness(checkId, answer, 'web'),
    terminal: onScreen('terminal'),
    bridge: onScreen('bridge'),
  };
}
