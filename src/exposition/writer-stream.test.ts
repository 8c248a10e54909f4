import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { Labels } from '../model/labels.js';
import type { MetricFamily } from './types.js';
import { streamExposition } from './writer-stream.js';
import { writeOpenMetrics } from './writer-openmetrics.js';
import { writeText } from './writer-text.js';

/** A slow sink with a tiny buffer, so the writer must wait for `drain`. */
function sink(): { stream: Writable; text: () => string; writes: () => number } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    highWaterMark: 16,
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      setImmediate(done);
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8'), writes: () => chunks.length };
}

function families(n: number): MetricFamily[] {
  const out: MetricFamily[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      name: `fam_${i}`,
      type: 'counter',
      help: 'ünïcødé help',
      metrics: [
        { name: `fam_${i}_total`, labels: Labels.from({ path: `/a/${i}`, 'x.y': '"q"' }), value: i / 3 },
      ],
    });
  }
  return out;
}

void describe('streamExposition', () => {
  for (const format of ['text', 'openmetrics'] as const) {
    void it(`writes the same bytes as the ${format} writer, in chunks, honouring backpressure`, async () => {
      const fams = families(3000);
      const s = sink();
      await streamExposition(s.stream, fams, format);
      const want = format === 'text' ? writeText(fams) : writeOpenMetrics(fams);
      assert.equal(s.text(), want);
      assert.ok(s.writes() > 1 && s.writes() < 20, `${s.writes()} writes`);
    });
  }
  void it('writes only # EOF for no OpenMetrics families, and nothing for no text families', async () => {
    const om = sink();
    await streamExposition(om.stream, [], 'openmetrics');
    assert.equal(om.text(), '# EOF\n');
    const text = sink();
    await streamExposition(text.stream, [], 'text');
    assert.equal(text.text(), '');
  });
});
