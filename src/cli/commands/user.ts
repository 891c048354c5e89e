/**
 * `opendpo user add | passwd | token | revoke | list`: staff accounts and API tokens, from the
 * machine the store is on (the first admin is created here; later ones too, or by an admin in the
 * console, through the same functions: src/desk/staff/staff-accounts.ts). Passwords are read from
 * standard input (`--password-stdin`), never from an argument a process list shows. A token is
 * printed once and kept only as a hash. Each change is in the organisation's audit log, by
 * `cli:<system user>`.
 */
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { loadConfig } from '../../config/config.js';
import { checkPasswordPolicy } from '../../desk/staff/credentials.js';
import { ROLES, STAFF_ROLES } from '../../desk/staff/roles.js';
import { checkNewAccount, checkNewToken, createApiToken, createStaffAccount, MAX_TOKEN_DAYS, parseLogin, revokeApiToken, setStaffPassword, tokenState, type FieldNames } from '../../desk/staff/staff-accounts.js';
import { OpendpoError } from '../../errors/opendpo-error.js';
import type { Store } from '../../store/open-store.js';
import { action } from '../action.js';
import { seedIfEmpty } from '../seed-store.js';

/** The service's messages name the flags. */
const FLAGS: FieldNames = { login: '--login', role: '--role', name: '--name', controller: '--controller', expiresInDays: '--expires-days' };

interface CommonFlags {
  organisation?: string;
}

const actor = (): string => {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
};

export function addUserCommands(parent: Command): void {
  parent
    .command('add')
    .description('Create a staff account (the first one: an admin)')
    .requiredOption('--login <email>', 'the person\'s work email, used to sign in')
    .requiredOption('--role <role>', `one of ${STAFF_ROLES.join(', ')}`)
    .option('--name <name>', 'the name shown in the console (default: the login)')
    .option('--organisation <id>', 'the organisation (default: the only one in the store, or the first register of OPENDPO_REGISTERS)')
    .option('--password-stdin', 'read the password from standard input (otherwise a random one is printed once)')
    .action(
      action(async (flags: CommonFlags & { login: string; role: string; name?: string; passwordStdin?: boolean }) => {
        // Checked before a password is asked for: a typo in a flag does not cost a typed password.
        checkNewAccount({ login: flags.login, role: flags.role, name: flags.name, fields: FLAGS });
        const password = flags.passwordStdin ? await readPassword() : undefined;
        if (password !== undefined) checkPasswordPolicy(password);
        return withStore(async (store, organisation) => {
          const { user, generatedPassword } = await createStaffAccount(store, {
            organisationId: organisation,
            login: flags.login,
            role: flags.role,
            name: flags.name,
            password,
            actor: actor(),
            fields: FLAGS,
          });
          process.stdout.write(`created ${user.role} ${user.id} in ${organisation}\n`);
          if (generatedPassword !== undefined) process.stdout.write(`password (shown once, change it with opendpo user passwd): ${generatedPassword}\n`);
          return 0;
        }, flags.organisation);
      }),
    );

  parent
    .command('passwd')
    .description('Set a staff account\'s password (read from standard input); its sessions end')
    .requiredOption('--login <email>', 'the account\'s login')
    .option('--organisation <id>', 'the organisation (default: the only one in the store)')
    .action(
      action(async (flags: CommonFlags & { login: string }) => {
        const login = parseLogin(flags.login, FLAGS.login);
        const password = await readPassword();
        checkPasswordPolicy(password);
        return withStore(async (store, organisation) => {
          const user = await store.staff.userByLogin(organisation, login);
          if (!user) throw new OpendpoError('NOT_FOUND', `no staff account with this login in ${organisation}`);
          await setStaffPassword(store, { organisationId: organisation, userId: user.id, password, actor: actor() });
          process.stdout.write(`password set for ${user.id}; its sessions ended\n`);
          return 0;
        }, flags.organisation);
      }),
    );

  parent
    .command('token')
    .description('Create an API token (printed once)')
    .requiredOption('--name <name>', 'what the token is for (e.g. "prometheus", "CRM integration")')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')} (controller: forwards the requests of one controller's data subjects)`)
    .option('--controller <id>', 'with --role controller: the controller whose requests the token forwards')
    .option('--expires-days <n>', 'days until it expires (1-730)', '90')
    .option('--organisation <id>', 'the organisation (default: the only one in the store)')
    .action(
      action(async (flags: CommonFlags & { name: string; role: string; controller?: string; expiresDays: string }) => {
        if (!/^\d{1,4}$/.test(flags.expiresDays)) throw new OpendpoError('INVALID_INPUT', `--expires-days: a whole number of days from 1 to ${MAX_TOKEN_DAYS}`);
        const input = { name: flags.name, role: flags.role, controllerId: flags.controller, expiresInDays: Number(flags.expiresDays), fields: FLAGS };
        // Refused before the store is opened (and seeded): nothing happens for a typo.
        checkNewToken(input);
        return withStore(async (store, organisation) => {
          const { token, secret } = await createApiToken(store, { ...input, organisationId: organisation, actor: actor() });
          process.stderr.write(`token ${token.id} (${token.role}) for ${organisation}, expires ${token.expiresAt}; shown once:\n`);
          process.stdout.write(`${secret}\n`);
          return 0;
        }, flags.organisation);
      }),
    );

  parent
    .command('revoke')
    .description('Revoke an API token')
    .argument('<token-id>', 'the token\'s id (as `user list` shows it)')
    .option('--organisation <id>', 'the organisation (default: the only one in the store)')
    .action(
      action(async (tokenId: string, flags: CommonFlags) =>
        withStore(async (store, organisation) => {
          await revokeApiToken(store, { organisationId: organisation, tokenId, actor: actor() });
          process.stdout.write(`revoked ${tokenId}\n`);
          return 0;
        }, flags.organisation),
      ),
    );

  parent
    .command('list')
    .description('List staff accounts and API tokens (ids, roles, dates; never a secret)')
    .option('--organisation <id>', 'the organisation (default: the only one in the store)')
    .action(
      action(async (flags: CommonFlags) =>
        withStore(async (store, organisation) => {
          for (const u of await store.staff.users(organisation)) {
            process.stdout.write(`user  ${u.id}  ${u.role.padEnd(8)}  ${u.login}${u.disabledAt ? '  (disabled)' : ''}\n`);
          }
          for (const t of await store.staff.tokens(organisation)) {
            const state = tokenState(t, new Date());
            const shown = state === 'active' ? `expires ${t.expiresAt.slice(0, 10)}` : state;
            process.stdout.write(`token ${t.id}  ${t.role.padEnd(10)}  ${shown}  ${t.name}\n`);
          }
          return 0;
        }, flags.organisation),
      ),
    );
}

/** The store, with its registers published if it is new, and the organisation the command is about. */
async function withStore(work: (store: Store, organisation: string) => Promise<number>, given: string | undefined): Promise<number> {
  const config = loadConfig(process.env);
  const { openStore } = await import('../../store/open-store.js');
  const store = await openStore(config.store);
  try {
    const fallback = await seedIfEmpty(store, config);
    const organisations = (await store.registerVersions.organisations()).map((o) => o.id);
    const organisation = given ?? (organisations.length === 1 ? organisations[0] : fallback);
    if (organisation === undefined) throw new OpendpoError('INVALID_INPUT', `give --organisation: the store holds ${organisations.join(', ')}`);
    if (!organisations.includes(organisation)) throw new OpendpoError('NOT_FOUND', `organisation ${organisation} has published no register in ${store.description} (it holds ${organisations.join(', ') || 'none'})`);
    return await work(store, organisation);
  } finally {
    await store.close();
  }
}

/** The first line of standard input (a pipe, or typed without echo), without its line end. */
async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) return typeWithoutEcho('password: ');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size > 4096 || Buffer.concat(chunks).includes(10)) break;
  }
  const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (line.length === 0) throw new OpendpoError('INVALID_INPUT', 'no password on standard input (e.g. printf "%s\\n" "$PASSWORD" | opendpo user add … --password-stdin)');
  return line;
}

/** Reads a line typed at a terminal without showing it. */
function typeWithoutEcho(prompt: string): Promise<string> {
  process.stderr.write(prompt);
  const stdin = process.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (err?: OpendpoError) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(typed);
    };
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(typed.length === 0 ? new OpendpoError('INVALID_INPUT', 'no password typed') : undefined);
        if (ch === '\u0003') return done(new OpendpoError('INVALID_INPUT', 'interrupted'));
        if (ch === '\u007f') typed = [...typed].slice(0, -1).join('');
        else typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}
