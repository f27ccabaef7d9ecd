import type { SourceUpdate } from '../../src/model/index.js';
import { sampleUpdates } from '../helpers/fixtures.js';

/** The sample updates with every runner's best back at `back` (lay just above). */
export function priced(back: number): SourceUpdate[] {
  return sampleUpdates().map((u) =>
    u.kind !== 'market'
      ? u
      : {
          ...u,
          market: {
            ...u.market,
            runners: u.market.runners.map((r) => ({
              ...r,
              back: [{ price: back, size: 100 }],
              lay: [{ price: back + 0.02, size: 100 }],
            })),
          },
        },
  );
}
