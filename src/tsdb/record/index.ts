/** WAL record encoders and decoders in Prometheus' format (series, samples, tombstones, …). */
export { RecordType, newSampleBatch } from './types.js';
export type { RefSeries, SampleBatch, Tombstone, RefExemplar, RefMetadata, WalRecord } from './types.js';
export { encodeSeries, encodeSamples, encodeTombstones } from './encode.js';
export {
  decodeSeries,
  decodeSamples,
  decodeTombstones,
  decodeExemplars,
  decodeMetadata,
  decodeRecord,
} from './decode.js';
