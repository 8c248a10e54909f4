/**
 * A minimal remote-write 1.0 client for tests: a `WriteRequest` protobuf encoded by hand (the four
 * message types it needs), snappy-compressed and POSTed, as Prometheus' receiver expects.
 */
import { compress } from 'snappyjs';

/** One series to send: its labels and its samples as [t ms, value]. */
export interface RemoteSeries {
  labels: Record<string, string>;
  samples: [number, number][];
}

class ProtoWriter {
  readonly #bytes: number[] = [];

  varint(n: number): this {
    // Non-negative integers up to 2^53: division keeps them exact where bit operations would not.
    let v = n;
    while (v >= 0x80) {
      this.#bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.#bytes.push(v);
    return this;
  }

  /** A length-delimited field (strings and embedded messages). */
  bytes(field: number, data: Uint8Array): this {
    this.varint((field << 3) | 2).varint(data.length);
    for (const b of data) this.#bytes.push(b);
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }

  double(field: number, v: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, true);
    this.varint((field << 3) | 1);
    for (const x of b) this.#bytes.push(x);
    return this;
  }

  int64(field: number, v: number): this {
    if (v < 0) throw new RangeError('negative timestamps are not needed by these tests');
    return this.varint(field << 3).varint(v);
  }

  done(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }
}

/** The protobuf bytes of a `prometheus.WriteRequest`. */
export function encodeWriteRequest(series: readonly RemoteSeries[]): Uint8Array {
  const req = new ProtoWriter();
  for (const s of series) {
    const ts = new ProtoWriter();
    for (const name of Object.keys(s.labels).sort()) {
      ts.bytes(1, new ProtoWriter().string(1, name).string(2, s.labels[name]).done());
    }
    for (const [t, v] of s.samples) ts.bytes(2, new ProtoWriter().double(1, v).int64(2, t).done());
    req.bytes(1, ts.done());
  }
  return req.done();
}

/** POSTs `series` to a remote-write receiver; throws with the answer on a status other than 2xx. */
export async function remoteWrite(url: string, series: readonly RemoteSeries[]): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-protobuf',
      'Content-Encoding': 'snappy',
      'X-Prometheus-Remote-Write-Version': '0.1.0',
    },
    body: compress(encodeWriteRequest(series)),
  });
  if (res.status < 200 || res.status >= 300)
    throw new Error(`remote write: ${res.status} ${await res.text()}`);
}
