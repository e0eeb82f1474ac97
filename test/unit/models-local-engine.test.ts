// Which models the local server's sherpa engine is given (local-engine.ts): the model for turns,
// and beside an offline one the installed streaming model that speaks the language, for live
// text while speaking — unless live text is switched off.
import { beforeEach, describe, expect, it } from 'vitest';
import { neuralEngineSettings } from '../../src/core/models/local-engine.ts';
import { createModelsService } from '../../src/core/models/models-service.ts';
import { silentLogger } from '../../src/core/log.ts';
import { installStandIn as install, tempModelsDir } from '../helpers/installed-models.ts';

const STREAMING = 'streaming-zipformer-zh-en';

describe('neuralEngineSettings and live text', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempModelsDir('tingxie-local-engine-');
  });
  const options = (choice: Parameters<typeof neuralEngineSettings>[1]) => {
    const o = neuralEngineSettings(dir, choice)?.engineOptions;
    return o && { model: o.model.id, streaming: o.streaming?.id, livePartials: o.livePartials };
  };

  it('gives an offline model the installed streaming model that speaks the language', async () => {
    await install(dir, 'sense-voice-small');
    await install(dir, STREAMING);
    expect(options({ locale: 'zh-CN' })).toEqual({
      model: 'sense-voice-small',
      streaming: STREAMING,
      livePartials: undefined,
    });
    expect(options({ modelId: 'sense-voice-small', locale: 'en-US' })?.streaming).toBe(STREAMING);
  });

  it('gives none where the streaming model does not speak the language, or none is installed', async () => {
    await install(dir, 'sense-voice-small');
    expect(options({ locale: 'zh-CN' })?.streaming).toBeUndefined();
    await install(dir, STREAMING);
    expect(options({ locale: 'ja-JP' })).toEqual({
      model: 'sense-voice-small',
      streaming: undefined,
      livePartials: undefined,
    });
  });

  it('without a locale, one that speaks a language of the model', async () => {
    await install(dir, 'sense-voice-small');
    await install(dir, STREAMING);
    expect(options({ modelId: 'sense-voice-small' })?.streaming).toBe(STREAMING);
  });

  it('a streaming model chosen for turns gives the live text itself', async () => {
    await install(dir, 'sense-voice-small');
    await install(dir, STREAMING);
    expect(options({ modelId: STREAMING, locale: 'zh-CN' })).toEqual({
      model: STREAMING,
      streaming: undefined,
      livePartials: undefined,
    });
  });

  it('livePartials false: no streaming model, and the engine told so', async () => {
    await install(dir, 'sense-voice-small');
    await install(dir, STREAMING);
    expect(options({ locale: 'zh-CN', livePartials: false })).toEqual({
      model: 'sense-voice-small',
      streaming: undefined,
      livePartials: false,
    });
    expect(options({ modelId: STREAMING, livePartials: false })?.livePartials).toBe(false);
  });

  it("the app's model manager passes the settings' switch", async () => {
    await install(dir, 'sense-voice-small');
    await install(dir, STREAMING);
    let livePartials = true;
    const service = createModelsService({
      modelsDir: dir,
      choice: () => ({ model: '', mirror: '', locale: 'zh-CN', livePartials }),
      onDownload: () => undefined,
      onInstalledChange: () => undefined,
      log: silentLogger,
    });
    expect(service.engine()?.engineOptions.streaming?.id).toBe(STREAMING);
    livePartials = false;
    expect(service.engine()?.engineOptions).toMatchObject({ livePartials: false });
    expect(service.engine()?.engineOptions.streaming).toBeUndefined();
    service.dispose();
  });
});
