// The sherpa engine's messages when it cannot run: what createEngine says about its options and
// missing files, and the reason it takes from what sherpa-onnx printed before its process ended.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import { EngineUnavailableError } from '../../src/server/engines/engine.ts';
import { createEngine, ENGINE_NAMES } from '../../src/server/engines/select.ts';
import { lastError, workerScript } from '../../src/server/engines/sherpa.ts';

const missingModel = {
  id: 'sense-voice-small',
  kind: 'sense-voice',
  files: { model: '/nowhere/model.int8.onnx', tokens: '/nowhere/tokens.txt' },
  languages: ['zh', 'en'],
};

describe('createEngine and sherpa', () => {
  it('knows the engine by name', () => {
    expect(ENGINE_NAMES).toContain('sherpa');
  });

  it('says what the sherpa engine needs when it is given no model', () => {
    expect(() => createEngine('sherpa', {}, silentLogger)).toThrow(
      'The sherpa engine needs engineOptions.model, an installed model ({ id, kind, files, languages }).',
    );
    expect(() =>
      createEngine('sherpa', { model: missingModel, punctuation: '/ct.onnx' }, silentLogger),
    ).toThrow(/engineOptions.punctuation must be an installed punctuation model/);
  });

  it('refuses a model whose file is missing, naming it and what to do', () => {
    const attempt = () => createEngine('sherpa', { model: missingModel }, silentLogger);
    expect(attempt).toThrow(EngineUnavailableError);
    expect(attempt).toThrow(
      'The model "sense-voice-small" is missing its model file (/nowhere/model.int8.onnx). Delete the model and download it again.',
    );
  });

  it('picks sherpa when no engine is named and an installed model is given', () => {
    const logged: string[] = [];
    const log = { ...silentLogger, info: (m: string) => logged.push(m) };
    expect(() => createEngine(undefined, { model: missingModel }, log)).toThrow(
      /missing its model file/,
    );
    expect(logged).toEqual(['Transcription engine: sherpa (model sense-voice-small).']);
  });
});

describe('lastError', () => {
  it("takes an uncaught exception's what()", () => {
    const stderr = [
      "terminate called after throwing an instance of 'Ort::Exception'",
      '  what():  Load model from /m/model.onnx failed:Protobuf parsing failed.',
      '',
    ].join('\n');
    expect(lastError(stderr)).toBe('Load model from /m/model.onnx failed:Protobuf parsing failed.');
  });

  it("takes sherpa-onnx's last log line, without its source location", () => {
    const stderr = [
      "/shared/sherpa-onnx/csrc/offline-sense-voice-model.cc:Init:120 'vocab_size' does not exist in the metadata",
      '',
    ].join('\n');
    expect(lastError(stderr)).toBe("'vocab_size' does not exist in the metadata");
  });

  it('skips the summary lines that say only "check your config"', () => {
    const stderr = [
      "/shared/sherpa-onnx/csrc/offline-model-config.cc:Validate:105 tokens: '/m/t.txt' does not exist",
      '/shared/sherpa-onnx/c-api/c-api.cc:SherpaOnnxCreateOfflineRecognizer:698 Errors in config',
    ].join('\n');
    expect(lastError(stderr)).toBe("tokens: '/m/t.txt' does not exist");
  });

  it('has nothing to say about an empty stderr', () => {
    expect(lastError('')).toBe(undefined);
  });
});

describe('workerScript', () => {
  // Absolute paths of this platform (a drive letter on Windows).
  const at = (...parts: string[]) => resolve('/', ...parts);

  it('is the .ts beside the source, and the .js beside the built bundle', () => {
    const source = pathToFileURL(at('work/src/server/engines/sherpa.ts')).href;
    expect(workerScript(source)).toBe(at('work/src/server/engines/sherpa-worker.ts'));
    const bundle = pathToFileURL(at('opt/tingxie/out/main/index.js')).href;
    expect(workerScript(bundle)).toBe(at('opt/tingxie/out/main/sherpa-worker.js'));
  });

  it('is the unpacked copy in the packaged app', () => {
    const packaged = pathToFileURL(at('opt/Tingxie/resources/app.asar/out/main/index.js')).href;
    expect(workerScript(packaged)).toBe(
      at('opt/Tingxie/resources/app.asar.unpacked/out/main/sherpa-worker.js'),
    );
  });
});
