/** label_replace and label_join. */
import { CaptureRegex } from '../../model/capture-regex.js';
import { expandTemplate } from '../../model/expand-template.js';
import { METRIC_NAME } from '../../model/labels.js';
import { isValidLabelName } from '../../model/names.js';
import { QueryError } from './errors.js';
import type { FunctionImpl } from './functions.js';
import { stringArg, vectorArg } from './function-args.js';
import type { Vector } from './value.js';

const labelReplace: FunctionImpl = ({ args }) => {
  const [dst, repl, src, re] = [
    stringArg(args[1]),
    stringArg(args[2]),
    stringArg(args[3]),
    stringArg(args[4]),
  ];
  let rx: CaptureRegex;
  try {
    rx = new CaptureRegex(re);
  } catch {
    throw new QueryError(`invalid regular expression in label_replace(): ${re}`);
  }
  if (!isValidLabelName(dst))
    throw new QueryError(`invalid destination label name in label_replace(): ${dst}`);
  const out: Vector = [];
  for (const s of vectorArg(args[0])) {
    const captures = rx.capture(s.labels.get(src));
    if (captures === undefined) {
      out.push(s);
      continue;
    }
    const value = expandTemplate(repl, captures);
    const b = s.labels.builder();
    if (value === '') b.del(dst);
    else b.set(dst, value);
    out.push({ labels: b.labels(), v: s.v, dropName: dst === METRIC_NAME ? false : s.dropName });
  }
  return { type: 'vector', samples: out };
};

const labelJoin: FunctionImpl = ({ args }) => {
  const dst = stringArg(args[1]);
  const sep = stringArg(args[2]);
  const srcs = args.slice(3).map(stringArg);
  if (!isValidLabelName(dst)) throw new QueryError(`invalid destination label name in label_join(): ${dst}`);
  const out: Vector = vectorArg(args[0]).map((s) => {
    const value = srcs.map((n) => s.labels.get(n)).join(sep);
    const b = s.labels.builder();
    if (value === '') b.del(dst);
    else b.set(dst, value);
    return { labels: b.labels(), v: s.v, dropName: dst === METRIC_NAME ? false : s.dropName };
  });
  return { type: 'vector', samples: out };
};

/** The label functions by name. */
export const LABEL_FUNCTIONS: [string, FunctionImpl][] = [
  ['label_replace', labelReplace],
  ['label_join', labelJoin],
];
