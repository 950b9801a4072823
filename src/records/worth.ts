import { DEFAULT_WORTH } from '../screen/state.js';

/**
 * What an offline check is worth today (GOV.UK employer's and landlord's guides, 2024): the same words the
 * status screen shows, so a deployment has one wording (its config's `screen.worth` replaces both).
 */
export const DEFAULT_WORTH_STATEMENT = DEFAULT_WORTH;
