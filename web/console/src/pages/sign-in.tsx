import { useState } from 'preact/hooks';
import { api, failure, type Session } from '../api.js';
import { ErrorMessage } from '../components/status.js';
import { useI18n } from '../i18n/index.js';
import { PageTitle } from '../components/page-title.js';

export function SignIn({ expired, onSignedIn }: { expired: boolean; onSignedIn: (session: Session) => void }) {
  const { t } = useI18n();
  const [organisation, setOrganisation] = useState('');
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [working, setWorking] = useState(false);
  const [problem, setProblem] = useState<{ wrong: boolean; error?: Error } | undefined>(undefined);

  const submit = async (event: Event) => {
    event.preventDefault();
    setWorking(true);
    setProblem(undefined);
    try {
      const org = organisation.trim();
      const { data, error, response } = await api.POST('/api/v1/session', { body: { login, password, ...(org === '' ? {} : { organisation: org }) } });
      if (data) onSignedIn(data);
      else if (response.status === 401) setProblem({ wrong: true });
      else setProblem({ wrong: false, error: failure(error, response) });
    } catch (error) {
      setProblem({ wrong: false, error: error instanceof Error ? error : new Error(String(error)) });
    } finally {
      setWorking(false);
    }
  };

  return (
    <>
      <PageTitle>{t.signIn.title}</PageTitle>
      {expired ? (
        <p class="notice" role="status">
          {t.app.expired}
        </p>
      ) : null}
      <p>{t.signIn.intro}</p>
      {problem?.wrong ? (
        <p class="error" role="alert">
          {t.signIn.wrong}
        </p>
      ) : (
        <ErrorMessage error={problem?.error} />
      )}
      <form class="stack" onSubmit={(e) => void submit(e)}>
        <label for="sign-in-org">{t.signIn.organisation}</label>
        <input id="sign-in-org" name="organisation" autocomplete="organization" value={organisation} onInput={(e) => setOrganisation(e.currentTarget.value)} />
        <label for="sign-in-login">{t.signIn.login}</label>
        <input id="sign-in-login" name="login" autocomplete="username" required value={login} onInput={(e) => setLogin(e.currentTarget.value)} />
        <label for="sign-in-password">{t.signIn.password}</label>
        <input id="sign-in-password" name="password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        <button type="submit" disabled={working}>
          {working ? t.signIn.working : t.signIn.submit}
        </button>
      </form>
    </>
  );
}
