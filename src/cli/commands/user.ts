/**
 * `opendpo user add | passwd | token | revoke | list`: staff accounts and API tokens, from the
 * machine the store is on (the first admin is created here; later ones too, or by an admin in the
 * console). Passwords are read from standard input (`--password-stdin`), never from an argument a
 * process list shows. A token is printed once and kept only as a hash. Each change is in the
 * organisation's audit log, by `cli:<system user>`.
 */
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { z } from 'zod';
import { loadConfig } from '../../config/config.js';
import { checkPasswordPolicy, formatApiToken, hashPassword, randomId, randomSecret, secretHash } from '../../desk/staff/credentials.js';
import { ROLES, STAFF_ROLES, isRole, isStaffRole } from '../../desk/staff/roles.js';
import { OpendpoError } from '../../errors/opendpo-error.js';
import type { Store } from '../../store/open-store.js';
import { action } from '../action.js';
import { seedIfEmpty } from '../seed-store.js';

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
        if (!isStaffRole(flags.role)) throw new OpendpoError('INVALID_INPUT', `--role: must be one of ${STAFF_ROLES.join(', ')}`);
        const login = parseLogin(flags.login);
        const name = (flags.name ?? login).trim();
        if (name.length === 0 || name.length > 200) throw new OpendpoError('INVALID_INPUT', '--name: 1 to 200 characters');
        const password = flags.passwordStdin ? await readPassword() : undefined;
        if (password !== undefined) checkPasswordPolicy(password);
        return withStore(async (store, organisation) => {
          const generated = password ?? randomSecret();
          const now = new Date().toISOString();
          const id = randomUUID();
          await store.staff.createUser(
            { organisationId: organisation, id, login, displayName: name, role: flags.role, passwordHash: await hashPassword(generated), createdAt: now, passwordChangedAt: now },
            { actor: actor(), action: 'staff.created', subject: { kind: 'staff', id }, detail: { role: flags.role } },
          );
          process.stdout.write(`created ${flags.role} ${id} in ${organisation}\n`);
          if (password === undefined) process.stdout.write(`password (shown once, change it with opendpo user passwd): ${generated}\n`);
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
        const login = parseLogin(flags.login);
        const password = await readPassword();
        checkPasswordPolicy(password);
        return withStore(async (store, organisation) => {
          const user = await store.staff.userByLogin(organisation, login);
          if (!user) throw new OpendpoError('NOT_FOUND', `no staff account with this login in ${organisation}`);
          await store.staff.setPassword(organisation, user.id, await hashPassword(password), new Date().toISOString(), {
            actor: actor(),
            action: 'staff.password_set',
            subject: { kind: 'staff', id: user.id },
          });
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
        if (!isRole(flags.role)) throw new OpendpoError('INVALID_INPUT', `--role: must be one of ${ROLES.join(', ')}`);
        if ((flags.role === 'controller') !== (flags.controller !== undefined)) throw new OpendpoError('INVALID_INPUT', '--controller goes with --role controller, and only with it');
        const days = Number(flags.expiresDays);
        if (!/^\d+$/.test(flags.expiresDays) || days < 1 || days > 730) throw new OpendpoError('INVALID_INPUT', '--expires-days: a whole number of days from 1 to 730');
        const name = flags.name.trim();
        if (name.length === 0 || name.length > 200) throw new OpendpoError('INVALID_INPUT', '--name: 1 to 200 characters');
        return withStore(async (store, organisation) => {
          const id = randomId();
          const secret = randomSecret();
          const now = new Date();
          const expiresAt = new Date(now.getTime() + days * 86_400_000).toISOString();
          await store.staff.createToken(
            { id, organisationId: organisation, name, role: flags.role, controllerId: flags.controller ?? null, secretHash: secretHash(secret), createdBy: actor(), createdAt: now.toISOString(), expiresAt },
            { actor: actor(), action: 'token.created', subject: { kind: 'token', id }, detail: { role: flags.role, expires_at: expiresAt } },
          );
          process.stderr.write(`token ${id} (${flags.role}) for ${organisation}, expires ${expiresAt}; shown once:\n`);
          process.stdout.write(`${formatApiToken(id, secret)}\n`);
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
          await store.staff.revokeToken(organisation, tokenId, new Date().toISOString(), { actor: actor(), action: 'token.revoked', subject: { kind: 'token', id: tokenId } });
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
            const state = t.revokedAt ? 'revoked' : Date.parse(t.expiresAt) <= Date.now() ? 'expired' : `expires ${t.expiresAt.slice(0, 10)}`;
            process.stdout.write(`token ${t.id}  ${t.role.padEnd(10)}  ${state}  ${t.name}\n`);
          }
          return 0;
        }, flags.organisation),
      ),
    );
}

function parseLogin(login: string): string {
  const value = login.trim().toLowerCase();
  if (!z.email().max(320).safeParse(value).success) throw new OpendpoError('INVALID_INPUT', '--login: must be an email address');
  return value;
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
