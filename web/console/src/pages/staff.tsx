/** Staff accounts and API tokens (admin): add, change a role, disable or enable; make a token (its secret shown once), revoke one. */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { api, must, type Schemas } from '../api.js';
import { Field, Outcome, useAction, type Action } from '../components/forms.js';
import { PageTitle } from '../components/page-title.js';
import { Show } from '../components/status.js';
import { useLoad } from '../components/use-load.js';
import { formatDate, formatDateTime, useI18n } from '../i18n/index.js';
import { forgetStaffDirectory } from '../components/staff-name.js';
import { useSession } from '../session.js';

const STAFF_ROLES = ['admin', 'dpo', 'agent', 'engineer', 'auditor'] as const;
type StaffRole = (typeof STAFF_ROLES)[number];
const TOKEN_ROLES = [...STAFF_ROLES, 'controller'] as const;
type TokenRole = (typeof TOKEN_ROLES)[number];

function AccountRow({ account, reload }: { account: Schemas['StaffAccount']; reload: () => void }) {
  const { t, lang } = useI18n();
  const action = useAction();
  const patch = (body: { role?: StaffRole; disabled?: boolean }) =>
    action.run(async () => {
      await must(api.PATCH('/api/v1/staff/accounts/{id}', { params: { path: { id: account.id } }, body }));
      reload();
    });
  return (
    <tr>
      <th scope="row">{account.login}</th>
      <td>{account.display_name}</td>
      <td>
        <label class="visually-hidden" for={`role-${account.id}`}>
          {t.staff.changeRole(account.login)}
        </label>
        <select id={`role-${account.id}`} value={account.role} disabled={action.working} onChange={(e) => void patch({ role: e.currentTarget.value as StaffRole })}>
          <RoleOptions roles={STAFF_ROLES} />
        </select>
      </td>
      <td>{account.active ? t.staff.active : `${t.staff.disabled} (${account.disabled_at ? formatDate(lang, account.disabled_at) : ''})`}</td>
      <td>
        <button type="button" class="secondary" disabled={action.working} onClick={() => void patch({ disabled: account.active })}>
          {account.active ? t.staff.disable(account.login) : t.staff.enable(account.login)}
        </button>
        <Outcome action={action} />
      </td>
    </tr>
  );
}

function TokenRow({ token, reload }: { token: Schemas['ApiToken']; reload: () => void }) {
  const { t, lang } = useI18n();
  const action = useAction();
  return (
    <tr>
      <th scope="row">{token.name}</th>
      <td>{token.role}</td>
      <td>{t.staff.tokenStates[token.state] ?? token.state}</td>
      <td>{formatDate(lang, token.expires_at)}</td>
      <td>{token.last_used_at ? formatDateTime(lang, token.last_used_at) : t.staff.never}</td>
      <td>
        {token.state === 'active' ? (
          <button
            type="button"
            class="secondary"
            disabled={action.working}
            onClick={() =>
              void action.run(async () => {
                await must(api.DELETE('/api/v1/staff/tokens/{token}', { params: { path: { token: token.id } } }));
                reload();
              })
            }
          >
            {t.staff.revoke(token.name)}
          </button>
        ) : null}
        <Outcome action={action} />
      </td>
    </tr>
  );
}

/** A list of accounts or tokens: its columns named, the last one holding each row's buttons. */
function ListTable({ columns, children }: { columns: readonly string[]; children: ComponentChildren }) {
  const { t } = useI18n();
  return (
    <div class="table-wrap" tabIndex={0}>
      <table>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" key={c}>
                {c}
              </th>
            ))}
            <th scope="col">
              <span class="visually-hidden">{t.staff.actions}</span>
            </th>
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** The form that makes an account or a token; what it made that is shown only once (an initial password, a secret) stays under it. */
function MakeForm({ title, action, run, submit, shownOnce, children }: { title: string; action: Action; run: () => Promise<void>; submit: string; shownOnce: ComponentChildren; children: ComponentChildren }) {
  return (
    <form
      class="stack panel"
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(run);
      }}
    >
      <h3>{title}</h3>
      {children}
      <button type="submit" disabled={action.working}>
        {submit}
      </button>
      <Outcome action={action} />
      {shownOnce}
    </form>
  );
}

function RoleOptions({ roles }: { roles: readonly string[] }) {
  return (
    <>
      {roles.map((r) => (
        <option key={r} value={r}>
          {r}
        </option>
      ))}
    </>
  );
}

export function StaffPage() {
  const { t } = useI18n();
  const { session } = useSession();
  const loaded = useLoad(() => must(api.GET('/api/v1/staff/accounts')), []);
  // An account added, renamed or disabled: the names the other pages show are asked again.
  const accounts = {
    ...loaded,
    reload: () => {
      forgetStaffDirectory(session);
      loaded.reload();
    },
  };
  const tokens = useLoad(() => must(api.GET('/api/v1/staff/tokens')), []);
  const [login, setLogin] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<StaffRole>('agent');
  const [password, setPassword] = useState('');
  const [initial, setInitial] = useState<string | undefined>(undefined);
  const add = useAction();
  const [tokenName, setTokenName] = useState('');
  const [tokenRole, setTokenRole] = useState<TokenRole>('engineer');
  const [controller, setController] = useState('');
  const [days, setDays] = useState('90');
  const [secret, setSecret] = useState<string | undefined>(undefined);
  const make = useAction();

  return (
    <>
      <PageTitle>{t.staff.title}</PageTitle>
      <section aria-labelledby="accounts-heading">
        <h2 id="accounts-heading">{t.staff.accounts}</h2>
        <Show loaded={accounts}>
          {(r) => (
            <ListTable columns={[t.staff.login, t.staff.name, t.staff.role, t.staff.state]}>
              {r.accounts.map((a) => (
                <AccountRow key={a.id} account={a} reload={accounts.reload} />
              ))}
            </ListTable>
          )}
        </Show>
        <MakeForm
          title={t.staff.add}
          action={add}
          submit={t.staff.addSubmit}
          shownOnce={initial ? <p class="notice mono wrap">{t.staff.initialPassword(initial)}</p> : null}
          run={async () => {
            const made = await must(api.POST('/api/v1/staff/accounts', { body: { login: login.trim(), role, ...(name.trim() === '' ? {} : { name: name.trim() }), ...(password === '' ? {} : { password }) } }));
            setInitial(made.initial_password ?? undefined);
            setLogin('');
            setName('');
            setPassword('');
            accounts.reload();
          }}
        >
          <div class="row">
            <Field id="acc-login" label={t.staff.login}>
              <input id="acc-login" type="email" required value={login} onInput={(e) => setLogin(e.currentTarget.value)} />
            </Field>
            <Field id="acc-name" label={t.staff.name}>
              <input id="acc-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
            </Field>
            <Field id="acc-role" label={t.staff.role}>
              <select id="acc-role" value={role} onChange={(e) => setRole(e.currentTarget.value as StaffRole)}>
                <RoleOptions roles={STAFF_ROLES} />
              </select>
            </Field>
          </div>
          <Field id="acc-password" label={t.staff.password}>
            <input id="acc-password" type="password" autocomplete="new-password" minLength={12} value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
          </Field>
        </MakeForm>
      </section>
      <section aria-labelledby="tokens-heading">
        <h2 id="tokens-heading">{t.staff.tokens}</h2>
        <Show loaded={tokens}>
          {(r) => (
            <ListTable columns={[t.staff.tokenName, t.staff.role, t.staff.state, t.staff.expires, t.staff.lastUsed]}>
              {r.tokens.map((tok) => (
                <TokenRow key={tok.id} token={tok} reload={tokens.reload} />
              ))}
            </ListTable>
          )}
        </Show>
        <MakeForm
          title={t.staff.addToken}
          action={make}
          submit={t.staff.addTokenSubmit}
          shownOnce={
            secret ? (
              <div class="notice">
                <p>{t.staff.secret}</p>
                <p class="mono wrap">{secret}</p>
              </div>
            ) : null
          }
          run={async () => {
            const made = await must(api.POST('/api/v1/staff/tokens', { body: { name: tokenName.trim(), role: tokenRole, expires_in_days: Number(days), ...(tokenRole === 'controller' ? { controller: controller.trim() } : {}) } }));
            setSecret(made.secret);
            setTokenName('');
            tokens.reload();
          }}
        >
          <div class="row">
            <Field id="tok-name" label={t.staff.tokenName}>
              <input id="tok-name" required value={tokenName} onInput={(e) => setTokenName(e.currentTarget.value)} />
            </Field>
            <Field id="tok-role" label={t.staff.role}>
              <select id="tok-role" value={tokenRole} onChange={(e) => setTokenRole(e.currentTarget.value as TokenRole)}>
                <RoleOptions roles={TOKEN_ROLES} />
              </select>
            </Field>
            {tokenRole === 'controller' ? (
              <Field id="tok-controller" label={t.staff.controller}>
                <input id="tok-controller" required value={controller} onInput={(e) => setController(e.currentTarget.value)} />
              </Field>
            ) : null}
            <Field id="tok-days" label={t.staff.expiresIn}>
              <input id="tok-days" type="number" min={1} max={730} required value={days} onInput={(e) => setDays(e.currentTarget.value)} />
            </Field>
          </div>
        </MakeForm>
      </section>
    </>
  );
}
