// Small pieces for writing ONNX graphs in tests with onnx-proto: tensors, typed inputs and
// outputs, metadata, the model around a graph and the files a model is written to.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';

export const { onnx } = onnxProto;
export type NodeProto = onnxProto.onnx.INodeProto;
export type TensorProto = onnxProto.onnx.ITensorProto;
export type GraphProto = onnxProto.onnx.IGraphProto;
export const FLOAT = onnx.TensorProto.DataType.FLOAT;
export const INT32 = onnx.TensorProto.DataType.INT32;
export const INT64 = onnx.TensorProto.DataType.INT64;
/** The opset the graphs are written against (ONNX Runtime in sherpa-onnx reads it). */
export const OPSET = [{ domain: '', version: 17 }];

export function floats(name: string, dims: number[], data: Float32Array): TensorProto {
  return { name, dataType: FLOAT, dims, rawData: new Uint8Array(data.buffer) };
}

export function ints(name: string, values: number[], dims = [values.length]): TensorProto {
  return { name, dataType: INT64, dims, int64Data: values };
}

export function valueInfo(
  name: string,
  type: number,
  dims: (number | string)[],
): onnxProto.onnx.IValueInfoProto {
  const dim = dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
  return { name, type: { tensorType: { elemType: type, shape: { dim } } } };
}

export function metadata(
  entries: Record<string, string | number>,
): onnxProto.onnx.IStringStringEntryProto[] {
  return Object.entries(entries).map(([key, value]) => ({ key, value: String(value) }));
}

/** An integer attribute, such as Concat's axis. */
export function intAttribute(name: string, i: number): onnxProto.onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i };
}

/** A OneHot node's off and on values, 0 and 1. */
export function oneHotValues(name = 'one_hot_values'): TensorProto {
  return floats(name, [2], Float32Array.from([0, 1]));
}

/** A model holding `graph`, named `name`, with `meta` as its metadata. */
export function encodeModel(
  name: string,
  graph: GraphProto,
  meta: Record<string, string | number> = {},
): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: OPSET,
    producerName: 'tingxie-tests',
    metadataProps: metadata(meta),
    graph: { name, ...graph },
  }).finish();
}

/** Writes each model as `<key>.onnx` and `tokens` as tokens.txt (each token, spelt by `spell`,
 * and its id, a line) into `dir`; returns their paths by key, and tokens.txt's as `tokens`. */
export function writeModelFiles<K extends string>(
  dir: string,
  models: Record<K, Uint8Array>,
  tokens: readonly string[],
  spell: (token: string) => string = (token) => token,
): Record<K | 'tokens', string> {
  mkdirSync(dir, { recursive: true });
  const files = {} as Record<K | 'tokens', string>;
  for (const [key, bytes] of Object.entries(models) as [K, Uint8Array][]) {
    files[key] = join(dir, `${key}.onnx`);
    writeFileSync(files[key], bytes);
  }
  files.tokens = join(dir, 'tokens.txt');
  writeFileSync(files.tokens, tokens.map((t, id) => `${spell(t)} ${id}\n`).join(''));
  return files;
}

/** MatMul layers `width` wide that only take time: `base` plus their result through zero weights
 * (so ONNX Runtime cannot leave them out, yet it adds nothing) makes `output`. They read
 * `input`, `inputWidth` wide; `base` is `outputWidth` wide. No layers: `base` is `output`. */
export function busyLayers({
  count,
  input,
  inputWidth,
  base,
  outputWidth,
  output,
  width = 1024,
}: {
  count: number;
  input: string;
  inputWidth: number;
  base: string;
  outputWidth: number;
  output: string;
  width?: number;
}): { nodes: NodeProto[]; weights: TensorProto[] } {
  if (count === 0) {
    return { nodes: [{ opType: 'Identity', input: [base], output: [output] }], weights: [] };
  }
  const nodes: NodeProto[] = [{ opType: 'MatMul', input: [input, 'busy_in'], output: ['busy_0'] }];
  for (let i = 1; i <= count; i++) {
    nodes.push({ opType: 'MatMul', input: [`busy_${i - 1}`, 'busy_layer'], output: [`busy_${i}`] });
  }
  nodes.push(
    { opType: 'MatMul', input: [`busy_${count}`, 'busy_out'], output: ['busy_zero'] },
    { opType: 'Add', input: [base, 'busy_zero'], output: [output] },
  );
  return {
    nodes,
    weights: [
      floats('busy_in', [inputWidth, width], new Float32Array(inputWidth * width).fill(1e-3)),
      floats('busy_layer', [width, width], new Float32Array(width * width).fill(1e-3)),
      floats('busy_out', [width, outputWidth], new Float32Array(width * outputWidth)),
    ],
  };
}
