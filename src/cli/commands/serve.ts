// `tingxie serve`: the local realtime server, until killed. The URL is the first line of stdout.
import { Option, type Command } from 'commander';
import { startLocalServer } from '../../server/index.ts';
import type { CliContext } from '../context.ts';
import { addEngineOptions, engineSettings, type EngineCliOptions } from '../engine-options.ts';
import { integer } from '../options.ts';

interface ServeOptions extends EngineCliOptions {
  host: string;
  port: number;
  token?: string;
}

export function registerServeCommand(program: Command, context: CliContext): void {
  const command = program
    .command('serve')
    .description('run the local realtime speech-to-text server')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port (0 = any free port)', integer(0, 65535), 0)
    .addOption(
      new Option(
        '--token <token>',
        'require this bearer token (required when not on loopback)',
      ).env('TINGXIE_SERVER_TOKEN'),
    );
  addEngineOptions(command).action(async (options: ServeOptions) => {
    const log = context.logger([options.token]);
    const server = await startLocalServer({
      host: options.host,
      port: options.port,
      ...engineSettings(options, { dataDir: context.dataDir() }),
      token: options.token,
      log,
    });
    context.io.stdout(`${server.url}\n`);
    log.info(`serving with the ${server.engineName} engine; stop with Ctrl+C`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
  });
}
