/**
 * Quotes for a sportsbook connector from the read model: the bookmaker's own book of the outcome's
 * catalogue market (as an odds-API source carries it, e.g. `oddsapi/pinnacle`), the outcome's back price. The sportsbook still answers the binding price at placement (its line); this only ranks it.
 */
import type { ReadModel } from '../../read-model/read-model.js';
import { bookmakerOfBook } from '../bookmakers.js';
import { catalogueGroups } from '../outcome-keys.js';
import type { Quote, Selection } from '../types.js';

/** A `quotes` function for SportsbookConnector over the read model's book of bookmaker `slug`. */
export function bookmakerBookQuotes(
  readModel: Pick<ReadModel, 'findEvent' | 'marketsOf'>,
  slug: string,
  currency = 'USD',
): (s: Selection) => Quote | null {
  return (s) => {
    const event = s.back ? readModel.findEvent(s.fixtureId) : undefined;
    const where = event
      ? catalogueGroups(event, readModel.marketsOf(event.id), s.outcomeId, s.playerId)
      : null;
    if (!where) return null;
    const found = where.groups
      .flatMap((g) => g.outcomes.find((o) => o.key === where.key)?.runners ?? [])
      .find((r) => bookmakerOfBook(r.book.name) === slug);
    const level = found?.runner.back[0];
    if (!found || !level) return null;
    return {
      price: level.price,
      limit: level.size > 0 ? level.size : null,
      limitMin: found.book.market.minStake,
      currency,
      active: found.book.market.status === 'OPEN' && found.runner.status === 'ACTIVE',
      info: { book: found.book.name, marketId: found.book.market.id, selectionId: found.runner.selectionId },
    };
  };
}
