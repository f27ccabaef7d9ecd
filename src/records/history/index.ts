export { HistoryWriter, type HistoryWriterOptions, type HistoryWriterStats } from './writer.js';
export {
  HistoryRepository,
  type StoredMarket,
  type RunnerLines,
  type Gap,
  type Checkpoint,
} from './repository.js';
export { candlesOf, rollUp, INTERVAL_MS, type Candle, type CandleInterval, type Ohlc } from './candles.js';
export { fromHundredths, unpackFlags, tickOf, type Tick } from './tick.js';
export { encodeTicks, decodeTicks } from './codec.js';
export { BatchBuilder, RunnerState, blocksOf, metaOf } from './batch.js';
