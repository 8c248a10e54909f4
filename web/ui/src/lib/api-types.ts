/**
 * The JSON of Prometheus' HTTP API (`/api/v1/*`) as the console reads it. Field names and shapes
 * follow the API documentation exactly; the server answers with the same envelope.
 */
import type { ActiveTargetJson, DroppedTargetJson } from '../../../../src/scrape/target-json-types.js';
import type { QueryStats } from '../../../../src/web/query-stats.js';

/** A successful answer; `warnings` and `infos` may come with data. */
export interface APISuccess<T> {
  status: 'success';
  data: T;
  warnings?: string[];
  infos?: string[];
}

/** A failed answer; `errorType` is e.g. `bad_data`, `execution`, `timeout`. */
export interface APIFailure {
  status: 'error';
  errorType: string;
  error: string;
  warnings?: string[];
  infos?: string[];
}

/** The envelope of every `/api/v1` answer, narrowed on `status`. */
export type APIResponse<T> = APISuccess<T> | APIFailure;

/** A label set as the API sends it. */
export type Metric = Record<string, string>;

/** `[unix seconds, "value"]`: values are strings so that NaN and ±Inf survive JSON. */
export type SamplePair = [number, string];

/** A native histogram as the API encodes it. */
export interface Histogram {
  count: string;
  sum: string;
  buckets?: [number, string, string, string][];
}

export interface InstantSample {
  metric: Metric;
  value?: SamplePair;
  histogram?: [number, Histogram];
}

export interface RangeSeries {
  metric: Metric;
  values?: SamplePair[];
  histograms?: [number, Histogram][];
}

/** Query statistics (`stats=true`): the server's own type, as the targets' below. */
export type { QueryStats };

export type QueryResult =
  | { resultType: 'matrix'; result: RangeSeries[]; stats?: QueryStats }
  | { resultType: 'vector'; result: InstantSample[]; stats?: QueryStats }
  | { resultType: 'scalar'; result: SamplePair; stats?: QueryStats }
  | { resultType: 'string'; result: SamplePair; stats?: QueryStats };

/**
 * `/api/v1/targets` entries: the server's own types, imported for their shape only (nothing of
 * the server is bundled), so the console and the API cannot drift apart.
 */
export type ActiveTarget = ActiveTargetJson;
export type DroppedTarget = DroppedTargetJson;

export interface TargetsResult {
  activeTargets: ActiveTarget[];
  droppedTargets: DroppedTarget[];
  droppedTargetCounts?: Record<string, number>;
}

export interface Alert {
  labels: Metric;
  annotations: Metric;
  state: 'firing' | 'pending' | 'inactive';
  activeAt?: string;
  keepFiringSince?: string;
  value: string;
}

interface RuleBase {
  name: string;
  query: string;
  labels?: Metric;
  health: 'ok' | 'err' | 'unknown';
  lastError?: string;
  evaluationTime?: number;
  lastEvaluation?: string;
}

export interface AlertingRule extends RuleBase {
  type: 'alerting';
  duration: number;
  keepFiringFor?: number;
  annotations: Metric;
  alerts: Alert[];
  state?: 'firing' | 'pending' | 'inactive';
}

export interface RecordingRule extends RuleBase {
  type: 'recording';
}

export type Rule = AlertingRule | RecordingRule;

export interface RuleGroup {
  name: string;
  file: string;
  interval: number;
  limit?: number;
  rules: Rule[];
  evaluationTime?: number;
  lastEvaluation?: string;
}

export interface RulesResult {
  groups: RuleGroup[];
}

export interface AlertsResult {
  alerts: Alert[];
}

export interface NameValue {
  name: string;
  value: number;
}

export interface TSDBStatus {
  headStats: {
    numSeries: number;
    numLabelPairs?: number;
    chunkCount: number;
    minTime: number;
    maxTime: number;
  };
  seriesCountByMetricName: NameValue[];
  labelValueCountByLabelName: NameValue[];
  memoryInBytesByLabelName: NameValue[];
  seriesCountByLabelValuePair: NameValue[];
}

/** `/status/runtimeinfo`: values differ in type by property. */
export type RuntimeInfo = Record<string, string | number | boolean>;

/** `/status/buildinfo`: all strings. */
export type BuildInfo = Record<string, string>;

export type Flags = Record<string, string>;

export interface ConfigResult {
  yaml: string;
}
