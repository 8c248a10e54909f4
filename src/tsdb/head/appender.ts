/**
 * A head transaction. Samples are checked as they are added (Prometheus' rules and error texts),
 * kept in a column batch, logged to the WAL on `commit()` — series records before the samples that
 * use them — and only then applied to the series, so queries never see an uncommitted sample.
 * With an out-of-order window, samples behind their series (or before the appendable minimum) but
 * within the window go to the series' out-of-order chunk on commit and are logged to the
 * write-behind log afterwards (`ooo-commit.ts`).
 */
import type { Labels } from '../../model/labels.js';
import { StorageError } from '../../storage/errors.js';
import type { Appender, SeriesRef } from '../../storage/interface.js';
import { sameFloatBits } from '../../model/value.js';
import { Encbuf } from '../encoding/encbuf.js';
import { encodeSamplesView, encodeSeries } from '../record/encode.js';
import type { RefSeries, SampleBatch } from '../record/types.js';
import { growSampleBatch, newSampleBatch } from '../record/types.js';
import type { Head } from './head.js';
import { LAST_T, LAST_V } from './series.js';
import type { AppendCheck, MemSeries } from './series.js';
import { OooCommit } from './ooo-commit.js';

/** Largest batch (samples) kept for reuse: 16k samples are 384 KiB of typed arrays. */
const MAX_SPARE = 1 << 14;
/**
 * Most finished batches kept for reuse: a thousand-series scrape's batch is 24 KiB, and hundreds of
 * scrapes can be in flight on a loaded server.
 */
const MAX_SPARES = 256;

/**
 * Where WAL records are encoded before they are copied out: one for all transactions (encoding is
 * synchronous), so a scrape's 20 KiB record does not regrow a fresh buffer from 1 KiB each time.
 */
const walScratch = new Encbuf(64 * 1024);

export class HeadAppender implements Appender {
  readonly #head: Head;
  readonly #id: number;
  #batch: SampleBatch;
  /**
   * The series of the batch's samples, entry for entry; only the first `#batch.length` are this
   * transaction's. Never truncated: V8 drops an array's storage when its length is set to 0.
   */
  #series: (MemSeries | undefined)[];
  #minValid: number;
  /** The window and the head's newest time when the transaction opened (Prometheus' `headMaxt`). */
  readonly #oooWindow: number;
  readonly #oooMin: number;
  #done = false;

  constructor(head: Head, id: number) {
    this.#head = head;
    this.#id = id;
    this.#minValid = head.appendableMinValidTime();
    this.#oooWindow = head.outOfOrderTimeWindow;
    // An empty head has no newest sample to measure from: nothing before the minimum is taken.
    this.#oooMin = head.maxTime === -Infinity ? this.#minValid : head.maxTime - this.#oooWindow;
    // A scrape's transaction grows its batch to the target's size; reuse a finished one's arrays.
    const spare = head.spareBatches.pop();
    // Without a spare, start at the size finished transactions grew to rather than regrow from 64.
    this.#batch = spare?.batch ?? newSampleBatch(head.batchCapacity);
    this.#series = spare?.series ?? [];
  }

  /** The series this transaction has samples for (until it ends). */
  get pendingSeries(): readonly MemSeries[] {
    return this.#series.slice(0, this.#batch.length) as MemSeries[];
  }

  /** Ends the transaction and hands the (emptied) batch arrays back to the head for the next one. */
  #release(): void {
    this.#head.transactionEnded(this);
    // Let go of the series (one may be removed from the head before the arrays are used again).
    this.#series.fill(undefined, 0, this.#batch.length);
    this.#batch.length = 0;
    // A huge batch (a bulk import) is not worth keeping around, nor more than a few dozen.
    const spares = this.#head.spareBatches;
    const capacity = this.#batch.refs.length;
    if (capacity <= MAX_SPARE && capacity > this.#head.batchCapacity) this.#head.batchCapacity = capacity;
    if (capacity <= MAX_SPARE && spares.length < MAX_SPARES)
      spares.push({ batch: this.#batch, series: this.#series });
  }

  append(ref: SeriesRef, labels: Labels, t: number, v: number): SeriesRef {
    if (this.#done) throw new Error('appender already committed or rolled back');
    const head = this.#head;
    let s = ref > 0 ? head.series(ref) : undefined;
    if (s === undefined) {
      if (labels.isEmpty()) throw new StorageError('invalid-labels', 'empty label set');
      s = head.getOrCreate(labels);
    }
    if (this.#oooWindow > 0) return this.#appendWithWindow(s, t, v);
    if (t < this.#minValid) {
      head.counters.outOfBounds++;
      throw new StorageError('out-of-bounds');
    }
    // Check against this transaction's last sample of the series, else the committed one.
    const mine = s.txnId === this.#id;
    const batch = this.#batch;
    const numbers = head.seriesNumbers.values;
    const lastT = mine ? batch.timestamps[s.txnIndex] : numbers[s.numbersAt + LAST_T];
    if (t <= lastT) {
      if (t < lastT) {
        head.counters.outOfOrder++;
        throw new StorageError('out-of-order');
      }
      if (!sameFloatBits(v, mine ? batch.values[s.txnIndex] : numbers[s.numbersAt + LAST_V])) {
        head.counters.duplicates++;
        throw new StorageError('duplicate');
      }
      return s.ref;
    }
    s.txnId = this.#id;
    s.txnIndex = batch.length;
    this.#push(s, t, v);
    return s.ref;
  }

  /**
   * Prometheus' `appendable` with a window: in order (after the series' last sample and not before
   * the appendable minimum) as usual; else within the window it is taken (sorted out on commit);
   * else "too old" — out of order and out of bounds are one error then.
   */
  #appendWithWindow(s: MemSeries, t: number, v: number): SeriesRef {
    const mine = s.txnId === this.#id;
    const batch = this.#batch;
    const lastT = mine ? batch.timestamps[s.txnIndex] : s.lastT;
    if (t >= this.#minValid) {
      if (t > lastT) {
        s.txnId = this.#id;
        s.txnIndex = batch.length;
        this.#push(s, t, v);
        return s.ref;
      }
      if (t === lastT) {
        if (!sameFloatBits(v, mine ? batch.values[s.txnIndex] : s.lastV)) {
          this.#head.counters.duplicates++;
          throw new StorageError('duplicate');
        }
        return s.ref;
      }
    }
    if (t < this.#oooMin) {
      this.#head.counters.tooOld++;
      throw new StorageError('too-old');
    }
    this.#push(s, t, v);
    return s.ref;
  }

  #push(s: MemSeries, t: number, v: number): void {
    let b = this.#batch;
    if (b.length === b.refs.length) this.#batch = b = growSampleBatch(b);
    const i = b.length;
    b.refs[i] = s.ref;
    b.timestamps[i] = t;
    b.values[i] = v;
    b.length = i + 1;
    this.#series[i] = s;
  }

  async commit(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    const head = this.#head;
    const batch = this.#batch;
    const series = this.#series;
    if (batch.length === 0) {
      this.#release();
      return;
    }
    if (head.wal !== undefined) {
      const fresh = this.#unloggedSeries();
      // The series record first, as a copy: the samples record is a view of the scratch buffer.
      const seriesRecord = fresh.length > 0 ? encodeSeries(fresh, walScratch) : undefined;
      const samples = encodeSamplesView(batch, walScratch);
      const records = seriesRecord !== undefined ? [seriesRecord, samples] : [samples];
      try {
        await head.wal.log(...records);
      } catch (err) {
        // Not logged, so not applied: the transaction ends as a rollback would.
        this.#forgetSamples();
        this.#release();
        throw err;
      }
    }
    if (this.#oooWindow > 0) {
      await this.#applyWithWindow(batch, series);
      return;
    }
    // Re-check at apply time: another transaction may have committed newer samples meanwhile.
    const { timestamps, values } = batch;
    let appended = 0;
    for (let i = 0; i < batch.length; i++) {
      const s = series[i]!;
      const check = this.#applyInOrder(s, timestamps[i], values[i]);
      if (check === 'ok') appended++;
      else if (check === 'out-of-order') head.counters.outOfOrder++;
      if (s.txnId === this.#id) s.txnId = 0;
    }
    head.counters.samplesAppended += appended;
    this.#release();
  }

  /** Appends a sample to its series if it is in order; counts a refused duplicate. */
  #applyInOrder(s: MemSeries, t: number, v: number): AppendCheck {
    const check = s.checkAppend(t, v);
    if (check === 'ok') {
      if (s.append(t, v)) this.#head.counters.chunksCreated++;
      this.#head.noteTime(t);
    } else if (check === 'duplicate') this.#head.counters.duplicates++;
    return check;
  }

  /**
   * Applies a batch with an out-of-order window: each sample re-checked as in `append` (another
   * transaction may have committed since), in order into the series' chunk, else into its
   * out-of-order chunk; then the out-of-order samples and mmap markers go to the write-behind log.
   */
  async #applyWithWindow(batch: SampleBatch, series: (MemSeries | undefined)[]): Promise<void> {
    const head = this.#head;
    const ooo = new OooCommit(head.oooCapMax);
    const { timestamps, values } = batch;
    let appended = 0;
    for (let i = 0; i < batch.length; i++) {
      const s = series[i]!;
      const t = timestamps[i];
      const v = values[i];
      if (s.txnId === this.#id) s.txnId = 0;
      if (t >= this.#minValid) {
        const check = this.#applyInOrder(s, t, v);
        if (check === 'ok') appended++;
        if (check !== 'out-of-order') continue;
      }
      if (t < this.#oooMin) {
        head.counters.tooOld++;
        continue;
      }
      if (ooo.insert(s, t, v)) appended++;
    }
    head.counters.samplesAppended += appended;
    head.counters.oooAppended += ooo.accepted;
    head.counters.chunksCreated += ooo.chunksCreated;
    this.#release();
    const records = ooo.records();
    if (records.length > 0 && head.wbl !== undefined) await head.wbl.log(...records);
  }

  /**
   * Series created by this transaction stay in the head even when it rolls back, so their records
   * are logged either way: a later tombstone or sample naming the ref must find them on replay.
   */
  async rollback(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    this.#forgetSamples();
    const fresh = this.#unloggedSeries();
    this.#release();
    if (fresh.length > 0 && this.#head.wal !== undefined)
      await this.#head.wal.log(encodeSeries(fresh, walScratch));
  }

  /** Clears this transaction's marks on its series (their samples are not applied). */
  #forgetSamples(): void {
    for (let i = 0; i < this.#batch.length; i++) {
      const s = this.#series[i]!;
      if (s.txnId === this.#id) s.txnId = 0;
    }
  }

  #unloggedSeries(): RefSeries[] {
    const fresh: RefSeries[] = [];
    for (let i = 0; i < this.#batch.length; i++) {
      const s = this.#series[i]!;
      if (s.logged) continue;
      s.logged = true;
      fresh.push({ ref: s.ref, labels: s.labels });
    }
    return fresh;
  }
}
