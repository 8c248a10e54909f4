/** WAL record encoders and decoders in Prometheus' format (series, samples, tombstones, …). */
export { RecordType, newSampleBatch } from './types.js';
export type {
  RefSeries,
  SampleBatch,
  Tombstone,
  RefExemplar,
  RefMetadata,
  RefMmapMarker,
  WalRecord,
} from './types.js';
export {
  encodeSeries,
  encodeSamples,
  encodeTombstonesRecord,
  encodeExemplars,
  encodeMetadata,
  encodeMmapMarkers,
} from './encode.js';
export {
  decodeSeries,
  decodeSamples,
  SamplesRecordCursor,
  decodeTombstonesRecord,
  decodeExemplars,
  decodeMetadata,
  decodeMmapMarkers,
  decodeRecord,
} from './decode.js';
