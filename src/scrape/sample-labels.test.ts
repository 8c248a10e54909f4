import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Labels } from '../model/labels.js';
import { makeRelabelConfig } from '../relabel/config.js';
import { checkLabelLimits, reportLabels, sampleLabels } from './sample-labels.js';

const target = Labels.from({ job: 'node', instance: 'h:1' });

describe('sample labels', () => {
  it('target labels win and exposed ones become exported_*, never over an exposed exported_*', () => {
    const exposed = Labels.from({ __name__: 'm', job: 'inner', exported_job: 'older', instance: 'x' });
    assert.deepEqual(sampleLabels(exposed, target, false, [])?.toRecord(), {
      __name__: 'm',
      exported_exported_job: 'inner',
      exported_instance: 'x',
      exported_job: 'older',
      instance: 'h:1',
      job: 'node',
    });
  });

  it('honor_labels keeps the exposed values', () => {
    const exposed = Labels.from({ __name__: 'm', job: 'inner' });
    assert.deepEqual(sampleLabels(exposed, target, true, [])?.toRecord(), {
      __name__: 'm',
      instance: 'h:1',
      job: 'inner',
    });
  });

  it('applies metric relabeling after merging', () => {
    const drop = makeRelabelConfig({ sourceLabels: ['job'], regex: 'node', action: 'drop' });
    assert.equal(sampleLabels(Labels.from({ __name__: 'm' }), target, false, [drop]), undefined);
  });

  it('report series carry the target labels only', () => {
    assert.equal(reportLabels('up', target).toString(), '{__name__="up", instance="h:1", job="node"}');
  });

  it('label limits give Prometheus texts', () => {
    const ls = Labels.from({ __name__: 'metric', a: 'value-long', b: 'x' });
    assert.equal(
      checkLabelLimits(ls, { labelLimit: 2, labelNameLengthLimit: 0, labelValueLengthLimit: 0 })?.message,
      'label_limit exceeded (metric: metric, number of labels: 3, limit: 2)',
    );
    assert.equal(
      checkLabelLimits(ls, { labelLimit: 0, labelNameLengthLimit: 0, labelValueLengthLimit: 5 })?.message,
      'label_value_length_limit exceeded (metric: metric, label name: __name__, value: "metric", length: 6, limit: 5)',
    );
    assert.equal(
      checkLabelLimits(ls, { labelLimit: 3, labelNameLengthLimit: 8, labelValueLengthLimit: 10 }),
      undefined,
    );
  });
});
