/**
 * `opendpo serve` (= `npm start`): open the store, publish the configured registers into an
 * empty store, and serve the privacy notice and the register. Stops cleanly on SIGINT/SIGTERM.
 */
import type { Command } from 'commander';
import { describeConfig, loadConfig, type Config } from '../../config/config.js';
import { OpendpoError } from '../../errors/opendpo-error.js';
import type { Store } from '../../store/open-store.js';
import { action } from '../action.js';

interface ServeFlags {
  port?: string;
  host?: string;
}

export function addServeCommand(parent: Command): void {
  parent
    .command('serve')
    .description('Serve the privacy notice, the register as JSON, lint findings, /healthz and /openapi.json')
    .option('--port <n>', 'port to listen on (default: OPENDPO_PORT, or 4750; 0 picks a free port)')
    .option('--host <h>', 'interface to listen on (default: OPENDPO_HOST, or 127.0.0.1; 0.0.0.0 in a container)')
    .addHelpText('after', () => `\nEnvironment:\n${describeConfig().map((v) => `  ${v.name} (default ${v.default})\n      ${v.meaning}`).join('\n')}\n`)
    .action(action((flags: ServeFlags) => serve(flags)));
}

async function serve(flags: ServeFlags): Promise<number> {
  // Flags override the environment, and go through the same validation.
  const config = loadConfig({
    ...process.env,
    ...(flags.port === undefined ? {} : { OPENDPO_PORT: flags.port }),
    ...(flags.host === undefined ? {} : { OPENDPO_HOST: flags.host }),
  });
  // Loaded here, not at the top: every other command starts faster without the server and the store.
  const [{ buildApp }, { openStore }] = await Promise.all([import('../../http/app.js'), import('../../store/open-store.js')]);
  const store = await openStore(config.store);
  try {
    const defaultOrganisation = await seedIfEmpty(store, config);
    const app = await buildApp({ config, store, defaultOrganisation });
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

    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await app.close();
    return 0;
  } finally {
    await store.close();
  }
}

/**
 * A fresh install serves something: when the store holds no organisation, publish the configured
 * registers, errors allowed (the seed's register has real gaps, recorded as findings).
 * Returns the default organisation: the one in the first configured register.
 */
async function seedIfEmpty(store: Store, config: Config): Promise<string | undefined> {
  const [{ loadRegister }, { publishRegister }] = await Promise.all([import('../../register/load.js'), import('../../register/publish-register.js')]);
  const empty = (await store.registerVersions.organisations()).length === 0;
  let defaultOrganisation: string | undefined;
  for (const [index, dir] of config.registers.entries()) {
    if (!empty && index > 0) break;
    const loadResult = await loadRegister(dir);
    if (index === 0) defaultOrganisation = loadResult.loaded?.register.organisation.id;
    if (!empty) break;
    try {
      const { outcome, findings } = await publishRegister(store, loadResult, {
        author: 'opendpo serve',
        message: 'published at start into an empty store (OPENDPO_REGISTERS)',
        allowErrors: true,
      });
      const errors = findings.filter((f) => f.severity === 'error').length;
      process.stderr.write(
        `opendpo: published ${outcome.version.organisationId} version ${outcome.version.version} from ${dir}${errors > 0 ? ` with ${errors} lint error(s) recorded` : ''}\n`,
      );
    } catch (err) {
      // One unusable folder must not keep the server from serving the others.
      if (!(err instanceof OpendpoError && err.code === 'REGISTER_INVALID')) throw err;
      process.stderr.write(`opendpo: warning: did not publish ${dir}: ${err.message}\n`);
    }
  }
  return defaultOrganisation;
}
