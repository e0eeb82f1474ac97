// Small pieces for writing ONNX graphs in tests with onnx-proto: tensors, typed inputs and
// outputs, metadata.
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
