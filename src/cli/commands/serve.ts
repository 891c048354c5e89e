/**
 * `opendpo serve` (= `npm start`): open the store, publish the configured registers into an
 * empty store, and serve the privacy notice and the register. Stops cleanly on SIGINT/SIGTERM.
 */
import type { Command } from 'commander';
import { describeConfig, loadConfig } from '../../config/config.js';
import { OpendpoError } from '../../errors/opendpo-error.js';
import { action } from '../action.js';
import { seedIfEmpty } from '../seed-store.js';

interface ServeFlags {
  port?: string;
  host?: string;
  datasets?: string;
}

export function addServeCommand(parent: Command): void {
  parent
    .command('serve')
    .description('Serve the privacy notice, the register as JSON, lint findings, /healthz and /openapi.json')
    .option('--port <n>', 'port to listen on (default: OPENDPO_PORT, or 4750; 0 picks a free port)')
    .option('--host <h>', 'interface to listen on (default: OPENDPO_HOST, or 127.0.0.1; 0.0.0.0 in a container)')
    .option('--datasets <dirs>', 'datasets folders the worker runs approved requests on (default: OPENDPO_DATASETS)')
    .addHelpText('after', () => `\nEnvironment:\n${describeConfig().map((v) => `  ${v.name} (default ${v.default})\n      ${v.meaning}`).join('\n')}\n`)
    .action(action((flags: ServeFlags) => serve(flags)));
}

async function serve(flags: ServeFlags): Promise<number> {
  // Flags override the environment, and go through the same validation.
  const config = loadConfig({
    ...process.env,
    ...(flags.port === undefined ? {} : { OPENDPO_PORT: flags.port }),
    ...(flags.host === undefined ? {} : { OPENDPO_HOST: flags.host }),
    ...(flags.datasets === undefined ? {} : { OPENDPO_DATASETS: flags.datasets }),
  });
  // Loaded here, not at the top: every other command starts faster without the server and the store.
  const [{ buildApp }, { openStore }] = await Promise.all([import('../../http/app.js'), import('../../store/open-store.js')]);
  const store = await openStore(config.store);
  try {
    const defaultOrganisation = await seedIfEmpty(store, config);
    const mailer = config.smtpUrl === undefined ? undefined : new (await import('../../mail/smtp/smtp-mailer.js')).SmtpMailer({ url: config.smtpUrl, from: config.mailFrom });
    const { startDesk } = await import('../start-desk.js');
    const desk = await startDesk(config, store, mailer);
    // What the console publishes: the register folders given, and those the datasets folders name.
    const registerFolders = [...config.registers, ...desk.sources.flatMap((s) => (s.loaded.registerDir ? [s.loaded.registerDir] : []))];
    const app = await buildApp({ config, store, defaultOrganisation, mailer, vault: desk.vault, desk: desk.desk, sources: desk.sources, registerFolders });
    await app.listen({ port: config.port, host: config.host }).catch(async (err: NodeJS.ErrnoException) => {
      await app.close();
      throw new OpendpoError(
        'INVALID_INPUT',
        err.code === 'EADDRINUSE'
          ? `port ${config.port} is already in use on ${config.host}: choose another with --port or OPENDPO_PORT`
          : `cannot listen on ${config.host}:${config.port} (${err.code ?? err.message})`,
      );
    });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    process.stdout.write(`opendpo listening on http://${config.host}:${port} (store: ${store.description})\n`);
    desk.start((fields, message) => app.log.info(fields, message));

    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    // The request running ends first (an erasure is not cut between its writes), then the server.
    await desk.stop();
    await app.close();
    await mailer?.close();
    return 0;
  } finally {
    await store.close();
  }
}
