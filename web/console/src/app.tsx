import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { api, setCsrfToken, whenSignedOut, type Session } from './api.js';
import { navigated } from './components/page-title.js';
import { staffDirectory } from './components/staff-name.js';
import { Loading } from './components/status.js';
import { I18nContext, initialLang, keepLang, MESSAGES, useI18n, type I18n, type Lang } from './i18n/index.js';
import { AuditPage } from './pages/audit.js';
import { NewRequestPage } from './pages/new-request.js';
import { NotFound } from './pages/not-found.js';
import { QueuePage } from './pages/queue.js';
import { RegisterPage } from './pages/register.js';
import { RequestPage } from './pages/request.js';
import { SignIn } from './pages/sign-in.js';
import { StaffPage } from './pages/staff.js';
import { SystemsPage } from './pages/systems.js';
import { TodayPage } from './pages/today.js';
import { can, consoleSession, SessionContext, type SessionState } from './session.js';

type Phase = { kind: 'checking' } | { kind: 'signed-out'; expired: boolean } | { kind: 'signed-in'; session: Session };

export function App() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((l: Lang) => {
    keepLang(l);
    setLangState(l);
  }, []);
  useEffect(() => keepLang(lang), [lang]);
  const i18n: I18n = useMemo(() => ({ lang, t: MESSAGES[lang], setLang }), [lang, setLang]);

  const [phase, setPhase] = useState<Phase>({ kind: 'checking' });
  useEffect(() => {
    whenSignedOut(() => {
      setCsrfToken(undefined);
      setPhase({ kind: 'signed-out', expired: true });
    });
    // Signed out is an answer (signed_in: false), not a 401: the sign-in page loads without an error.
    api.GET('/api/v1/session').then(
      ({ data }) => {
        const session = consoleSession(data);
        if (session) {
          setCsrfToken(session.csrf_token);
          setPhase({ kind: 'signed-in', session });
        } else setPhase({ kind: 'signed-out', expired: false });
      },
      () => setPhase({ kind: 'signed-out', expired: false }),
    );
  }, []);

  const signedIn = useCallback((session: Session) => {
    setCsrfToken(session.csrf_token);
    setPhase({ kind: 'signed-in', session });
  }, []);
  const signOut = useCallback(async () => {
    await api.DELETE('/api/v1/session');
    setCsrfToken(undefined);
    setPhase({ kind: 'signed-out', expired: false });
  }, []);

  return (
    <I18nContext.Provider value={i18n}>
      <LocationProvider scope="/console">
        {phase.kind === 'checking' ? (
          <main id="main" class="narrow">
            <Loading />
          </main>
        ) : phase.kind === 'signed-out' ? (
          <Frame>
            <SignIn expired={phase.expired} onSignedIn={signedIn} />
          </Frame>
        ) : (
          <SignedIn session={phase.session} signOut={signOut} />
        )}
      </LocationProvider>
    </I18nContext.Provider>
  );
}

function LanguageSwitch() {
  const { lang, t, setLang } = useI18n();
  const other: Lang = lang === 'en' ? 'fr' : 'en';
  return (
    <button type="button" class="link-button lang-switch" lang={other} aria-label={t.app.switchLanguageLabel} onClick={() => setLang(other)}>
      {t.app.switchLanguage}
    </button>
  );
}


/** The page frame before sign-in: skip link, title, language switch. */
function Frame({ children }: { children: ComponentChildren }) {
  const { t } = useI18n();
  return (
    <>
      <a class="skip" href="#main">
        {t.app.skip}
      </a>
      <header class="top">
        <p class="brand">{t.app.name}</p>
        <div class="top-tools">
          <LanguageSwitch />
        </div>
      </header>
      <main id="main" tabIndex={-1} class="narrow">
        {children}
      </main>
    </>
  );
}

function SignedIn({ session, signOut }: SessionState) {
  const { t } = useI18n();
  const state = useMemo(() => ({ session, signOut }), [session, signOut]);
  // Asked once per session, before the pages need it: assignees show by name from their first paint.
  useEffect(() => void staffDirectory(session).catch(() => undefined), [session]);
  const user = session.user;
  return (
    <SessionContext.Provider value={state}>
      <a class="skip" href="#main">
        {t.app.skip}
      </a>
      <header class="top">
        <p class="brand">{t.app.name}</p>
        <nav aria-label={t.app.nav}>
          <ul>
            <li>
              <NavLink href="/console/">{t.app.today}</NavLink>
            </li>
            <li>
              <NavLink href="/console/requests">{t.app.requests}</NavLink>
            </li>
            {can(session, 'register.read') ? (
              <li>
                <NavLink href="/console/register">{t.app.register}</NavLink>
              </li>
            ) : null}
            {can(session, 'systems.read') ? (
              <li>
                <NavLink href="/console/systems">{t.app.systems}</NavLink>
              </li>
            ) : null}
            {can(session, 'audit.read') ? (
              <li>
                <NavLink href="/console/audit">{t.app.audit}</NavLink>
              </li>
            ) : null}
            {can(session, 'staff.manage') ? (
              <li>
                <NavLink href="/console/staff">{t.app.staff}</NavLink>
              </li>
            ) : null}
          </ul>
        </nav>
        <div class="top-tools">
          <span class="who">{user ? t.app.signedInAs(user.display_name, session.role) : session.role}</span>
          <LanguageSwitch />
          <button type="button" class="secondary" onClick={() => void signOut()}>
            {t.app.signOut}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Router onRouteChange={navigated}>
          <Route path="/console/" component={TodayPage} />
          <Route path="/console/requests" component={QueuePage} />
          <Route path="/console/requests/new" component={NewRequestPage} />
          <Route path="/console/requests/:id" component={RequestPage} />
          <Route path="/console/register" component={RegisterPage} />
          <Route path="/console/audit" component={AuditPage} />
          <Route path="/console/systems" component={SystemsPage} />
          <Route path="/console/staff" component={StaffPage} />
          <Route default component={NotFound} />
        </Router>
      </main>
    </SessionContext.Provider>
  );
}

function NavLink({ href, children }: { href: string; children: ComponentChildren }) {
  const { path } = useLocation();
  const current = href === '/console/' ? path === '/console/' || path === '/console' : path.startsWith(href);
  return (
    <a href={href} aria-current={current ? 'page' : undefined}>
      {children}
    </a>
  );
}

