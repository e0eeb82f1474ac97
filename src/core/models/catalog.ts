// The models Tingxie can download, pinned to a revision, each file with its size and SHA-256.
//
// A revision is pinned (not `main`) because a model repository can re-upload a file under the
// same name: a pinned URL keeps serving the bytes these hashes describe. Sizes and hashes are the
// ones published for these revisions (Hugging Face shows an LFS file's SHA-256 on its page);
// small non-LFS files (tokens) have no published hash there, and theirs were taken from projects
// that pin the same files. ModelScope copies are kept by their maintainers, not by sherpa-onnx:
// their bytes are checked against the same hashes, and a copy that differs is skipped for the
// next source.
import type { CatalogModel } from './catalog-types.ts';

/**
 * The languages of Whisper tiny, base and small: the 99 of its tokenizer (the codes sherpa-onnx
 * reads from the model), less Hawaiian ('haw') and Javanese ('jw'), whose codes are not ISO 639-1.
 * Cantonese ('yue') came with large-v3: these sizes do not know it, and sherpa-onnx stops on a
 * language the model does not know, so no code outside the model's own list may appear here.
 */
const WHISPER_LANGUAGES = (
  'en zh de es ru ko fr ja pt tr pl ca nl ar sv it id hi fi vi he uk el ms cs ro da hu ta no th ' +
  'ur hr bg lt la mi ml cy sk te fa lv bn sr az sl kn et mk br eu is hy ne mn bs kk sq sw gl mr ' +
  'pa si km sn yo so af oc ka be tg sd gu am yi lo uz fo ht ps tk nn mt sa lb my bo tl mg as tt ' +
  'ln ha ba su'
).split(' ');

const WHISPER_LICENSE = 'MIT (OpenAI Whisper)';

/** The same tokens file serves every multilingual Whisper size. */
const WHISPER_TOKENS = {
  bytes: 816_730,
  sha256: 'b34b360dbb493e781e479794586d661700670d65564001f23024971d1f2fa126',
};

export const CATALOG: readonly CatalogModel[] = [
  {
    id: 'sense-voice-small',
    kind: 'sense-voice',
    title: { en: 'SenseVoice Small (int8)', 'zh-CN': 'SenseVoice Small（int8）' },
    languages: ['zh', 'en', 'ja', 'ko', 'yue'],
    license: 'FunASR Model License 1.1 (attribution required)',
    homepage:
      'https://huggingface.co/csukuangfj/sherpa-onnx-sense-voice-zh-en-ja-ko-yue-2024-07-17',
    huggingFace: {
      repo: 'csukuangfj/sherpa-onnx-sense-voice-zh-en-ja-ko-yue-2024-07-17',
      revision: '2365baeacb507f821a0c8120fcee3d484dba7a07',
    },
    modelScope: {
      repo: 'pengzhendong/sherpa-onnx-sense-voice-zh-en-ja-ko-yue',
      revision: '73eca47697f980daa3d16112404174b6b950b514',
    },
    archive: 'sherpa-onnx-sense-voice-zh-en-ja-ko-yue-2024-07-17.tar.bz2',
    files: [
      {
        role: 'model',
        name: 'model.int8.onnx',
        bytes: 239_233_841,
        sha256: 'c71f0ce00bec95b07744e116345e33d8cbbe08cef896382cf907bf4b51a2cd51',
      },
      {
        role: 'tokens',
        name: 'tokens.txt',
        bytes: 315_894,
        sha256: 'f449eb28dc567533d7fa59be34e2abca8784f771850c78a47fb731a31429a1dc',
      },
    ],
  },
  {
    id: 'paraformer-zh',
    kind: 'paraformer',
    title: { en: 'Paraformer Chinese (int8)', 'zh-CN': 'Paraformer 中文（int8）' },
    languages: ['zh', 'en'],
    license: 'Apache-2.0 (FunASR Paraformer-large)',
    homepage: 'https://huggingface.co/csukuangfj/sherpa-onnx-paraformer-zh-2024-03-09',
    huggingFace: {
      repo: 'csukuangfj/sherpa-onnx-paraformer-zh-2024-03-09',
      revision: '906992d326ebf0c5171cde675aa0902be9e5bc6c',
    },
    modelScope: { repo: 'pengzhendong/sherpa-onnx-paraformer-zh', revision: 'master' },
    archive: 'sherpa-onnx-paraformer-zh-2024-03-09.tar.bz2',
    files: [
      {
        role: 'model',
        name: 'model.int8.onnx',
        bytes: 227_330_205,
        sha256: '90bc03034ae1bef9575f8cc798cd1519c8be8aa9e8b458a033e32017ff4d584c',
      },
      {
        role: 'tokens',
        name: 'tokens.txt',
        bytes: 75_354,
        sha256: '6c0e3b35cece259829e6cb5b8d90d13db88f61ea3a2953d11898e4b2bfd7a2e2',
      },
    ],
  },
  {
    // sherpa-onnx publishes the int8 model only inside its release archive
    // (sherpa-onnx-punct-ct-transformer-zh-en-vocab272727-2024-04-12-int8.tar.bz2); these
    // repositories hold that file alone, byte for byte. Its vocabulary is in the model's metadata.
    id: 'punct-ct-transformer-zh-en',
    kind: 'punctuation',
    title: {
      en: 'CT-Transformer punctuation, zh/en (int8)',
      'zh-CN': 'CT-Transformer 中英标点（int8）',
    },
    languages: ['zh', 'en'],
    license: 'Apache-2.0 (FunASR CT-Transformer)',
    homepage: 'https://k2-fsa.github.io/sherpa/onnx/punctuation/pretrained_models.html',
    huggingFace: {
      repo: 'ranger810/sherpa-onnx-punct-ct-transformer-zh-en-vocab272727-2024-04-12-int8',
      revision: 'main',
    },
    modelScope: {
      repo: 'ranger810/sherpa-onnx-punct-ct-transformer-zh-en-vocab272727-2024-04-12-int8',
      revision: '8177426a1240345bd35b21616475ddcf425d5288',
    },
    archive: 'sherpa-onnx-punct-ct-transformer-zh-en-vocab272727-2024-04-12-int8.tar.bz2',
    files: [
      {
        role: 'model',
        name: 'model.int8.onnx',
        bytes: 75_519_198,
        sha256: '65a3fb9f5ad7bfb96bf69e0dc4481df97f6ee60513c1d94ce981ba6effd524b1',
      },
    ],
  },
  {
    id: 'whisper-small',
    kind: 'whisper',
    title: { en: 'Whisper small (int8)', 'zh-CN': 'Whisper small（int8）' },
    languages: WHISPER_LANGUAGES,
    license: WHISPER_LICENSE,
    homepage: 'https://huggingface.co/csukuangfj/sherpa-onnx-whisper-small',
    huggingFace: {
      repo: 'csukuangfj/sherpa-onnx-whisper-small',
      revision: '8f3c18b358db4d1f2fc1eae49d75cd20989e4309',
    },
    archive: 'sherpa-onnx-whisper-small.tar.bz2',
    files: [
      {
        role: 'encoder',
        name: 'small-encoder.int8.onnx',
        bytes: 112_442_483,
        sha256: '4cbe7b22fa9026b843b60a68640c747de05bafb1a11b57edc0e66c232d9f33a9',
      },
      {
        role: 'decoder',
        name: 'small-decoder.int8.onnx',
        bytes: 262_226_114,
        sha256: 'acad50b5c782696e91b55914cc5ab4f756f1532f76e22aa6fc615f39fb69a8ee',
      },
      { role: 'tokens', name: 'small-tokens.txt', ...WHISPER_TOKENS },
    ],
  },
  {
    id: 'whisper-base',
    kind: 'whisper',
    title: { en: 'Whisper base (int8)', 'zh-CN': 'Whisper base（int8）' },
    languages: WHISPER_LANGUAGES,
    license: WHISPER_LICENSE,
    homepage: 'https://huggingface.co/csukuangfj/sherpa-onnx-whisper-base',
    huggingFace: {
      repo: 'csukuangfj/sherpa-onnx-whisper-base',
      revision: 'bb53ee204431c90d314c1cc08d28d23e5b7927cc',
    },
    archive: 'sherpa-onnx-whisper-base.tar.bz2',
    files: [
      {
        role: 'encoder',
        name: 'base-encoder.int8.onnx',
        bytes: 29_120_534,
        sha256: '0b8fb1304b6109976038efff5ace81720e00386f3ff6b54ee8c75291ca0a1e11',
      },
      {
        role: 'decoder',
        name: 'base-decoder.int8.onnx',
        bytes: 130_672_026,
        sha256: '9759d217388a01b3a4c7c15533201067b48ae819c4daafc8624e64b9409dc02d',
      },
      { role: 'tokens', name: 'base-tokens.txt', ...WHISPER_TOKENS },
    ],
  },
  {
    id: 'whisper-tiny',
    kind: 'whisper',
    title: { en: 'Whisper tiny (int8)', 'zh-CN': 'Whisper tiny（int8）' },
    languages: WHISPER_LANGUAGES,
    license: WHISPER_LICENSE,
    homepage: 'https://huggingface.co/csukuangfj/sherpa-onnx-whisper-tiny',
    huggingFace: {
      repo: 'csukuangfj/sherpa-onnx-whisper-tiny',
      revision: '18e7b4cce9526312a66981ec3af7b9446b70db66',
    },
    archive: 'sherpa-onnx-whisper-tiny.tar.bz2',
    files: [
      {
        role: 'encoder',
        name: 'tiny-encoder.int8.onnx',
        bytes: 12_937_678,
        sha256: 'dd5531121627e7e184a6b8f6a6e353edf39b40e328032dfdc146b5a359a3e3d0',
      },
      {
        role: 'decoder',
        name: 'tiny-decoder.int8.onnx',
        bytes: 89_855_289,
        sha256: 'dd29c14f2104c14c3aca7dc8e13308190bbe4c65be21c82f4b86a27d8326b26b',
      },
      { role: 'tokens', name: 'tiny-tokens.txt', ...WHISPER_TOKENS },
    ],
  },
  {
    id: 'parakeet-tdt-0.6b-v2',
    kind: 'nemo-transducer',
    title: {
      en: 'Parakeet TDT 0.6B v2, English (int8)',
      'zh-CN': 'Parakeet TDT 0.6B v2 英语（int8）',
    },
    languages: ['en'],
    license: 'CC-BY-4.0 (NVIDIA)',
    homepage: 'https://huggingface.co/csukuangfj/sherpa-onnx-nemo-parakeet-tdt-0.6b-v2-int8',
    huggingFace: {
      repo: 'csukuangfj/sherpa-onnx-nemo-parakeet-tdt-0.6b-v2-int8',
      revision: '1ab9323565ddb038682214b292f588070a538ce2',
    },
    archive: 'sherpa-onnx-nemo-parakeet-tdt-0.6b-v2-int8.tar.bz2',
    files: [
      {
        role: 'encoder',
        name: 'encoder.int8.onnx',
        bytes: 652_184_296,
        sha256: 'a32b12d17bbbc309d0686fbbcc2987b5e9b8333a7da83fa6b089f0a2acd651ab',
      },
      {
        role: 'decoder',
        name: 'decoder.int8.onnx',
        bytes: 7_257_753,
        sha256: 'b6bb64963457237b900e496ee9994b59294526439fbcc1fecf705b31a15c6b4e',
      },
      {
        role: 'joiner',
        name: 'joiner.int8.onnx',
        bytes: 1_739_080,
        sha256: '7946164367946e7f9f29a122407c3252b680dbae9a51343eb2488d057c3c43d2',
      },
      {
        role: 'tokens',
        name: 'tokens.txt',
        bytes: 9_384,
        sha256: 'ec182b70dd42113aff6c5372c75cac58c952443eb22322f57bbd7f53977d497d',
      },
    ],
  },
  {
    // The decoder stays float: sherpa-onnx's own examples pair the int8 encoder and joiner with it.
    id: 'streaming-zipformer-zh-en',
    kind: 'streaming-zipformer',
    title: {
      en: 'Streaming Zipformer, Chinese + English (int8)',
      'zh-CN': '流式 Zipformer 中英双语（int8）',
    },
    languages: ['zh', 'en'],
    license: 'Apache-2.0',
    homepage:
      'https://huggingface.co/csukuangfj/sherpa-onnx-streaming-zipformer-bilingual-zh-en-2023-02-20',
    huggingFace: {
      repo: 'csukuangfj/sherpa-onnx-streaming-zipformer-bilingual-zh-en-2023-02-20',
      revision: '98590b7ed6443e77b714204da2757d75e1a642f4',
    },
    modelScope: {
      repo: 'pengzhendong/sherpa-onnx-streaming-zipformer-bilingual-zh-en',
      revision: 'master',
    },
    archive: 'sherpa-onnx-streaming-zipformer-bilingual-zh-en-2023-02-20.tar.bz2',
    files: [
      {
        role: 'encoder',
        name: 'encoder-epoch-99-avg-1.int8.onnx',
        bytes: 181_895_032,
        sha256: '8fa764187a261844f859d7143ebaa563af5d10adfece4c18a8f414c88cba2a9b',
      },
      {
        role: 'decoder',
        name: 'decoder-epoch-99-avg-1.onnx',
        bytes: 13_876_452,
        sha256: '2e3b5ec371f8899ee6acd829fd753ba45772df57a91bdf37cde3136354e7db7d',
      },
      {
        role: 'joiner',
        name: 'joiner-epoch-99-avg-1.int8.onnx',
        bytes: 3_228_404,
        sha256: '1ed689c5ed19dbaa725d9d191bb4822b5f4855a39e1ffd28cbc1f340d25b2ee0',
      },
      {
        role: 'tokens',
        name: 'tokens.txt',
        bytes: 56_317,
        sha256: 'a8e0e4ec53810e433789b54a5c0134a7eaa2ffca595a6334d54c00da858841d3',
      },
    ],
  },
];

/**
 * Which recognizer to load first, by language: the most accurate installed one that speaks it.
 * Languages not listed use `DEFAULT_PREFERENCE`; models not listed come after those listed.
 */
export const PREFERENCE: Readonly<Record<string, readonly string[]>> = {
  zh: [
    'sense-voice-small',
    'paraformer-zh',
    'streaming-zipformer-zh-en',
    'whisper-small',
    'whisper-base',
    'whisper-tiny',
  ],
  yue: ['sense-voice-small'],
  en: [
    'parakeet-tdt-0.6b-v2',
    'sense-voice-small',
    'whisper-small',
    'whisper-base',
    'streaming-zipformer-zh-en',
    'paraformer-zh',
    'whisper-tiny',
  ],
};
export const DEFAULT_PREFERENCE: readonly string[] = [
  'sense-voice-small',
  'whisper-small',
  'whisper-base',
  'parakeet-tdt-0.6b-v2',
  'paraformer-zh',
  'streaming-zipformer-zh-en',
  'whisper-tiny',
];
