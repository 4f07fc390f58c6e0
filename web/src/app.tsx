import { signOut } from 'firebase/auth';
import type { JSX } from 'preact';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { useEffect, useRef } from 'preact/hooks';
import { useTranslation } from 'react-i18next';
import { useSession, useSessionSource, SessionContext } from './auth/session';
import { auth } from './firebase';
import { switchLocale, type Locale } from './i18n';
import { CONSOLE_ROUTES } from './pages/console/routes';
import type { PageRoute } from './pages/routes';
import { SELLER_ROUTES } from './pages/seller/routes';
import { SignInPage, SignUpPage, VerifyEmailPage } from './pages/sign-in';

function LanguageSwitch(): JSX.Element {
  const { t, i18n } = useTranslation();
  return (
    <label class="language">
      <span class="visually-hidden">{t('language')}</span>
      <select value={i18n.language} onChange={(e) => void switchLocale(e.currentTarget.value as Locale)}>
        <option value="zh-TW">繁體中文</option>
        <option value="en">English</option>
      </select>
    </label>
  );
}

function Nav({ routes, ns }: { routes: readonly PageRoute[]; ns: string }): JSX.Element {
  const { t } = useTranslation(ns);
  const { path } = useLocation();
  return (
    <>
      {routes.filter((r) => r.nav).map((r) => (
        <li key={r.path}><a href={r.path} aria-current={path === r.path ? 'page' : undefined}>{t(r.nav!)}</a></li>
      ))}
    </>
  );
}

function Header(): JSX.Element {
  const { t } = useTranslation();
  const session = useSession();
  const { path } = useLocation();
  const staff = session.role !== null;
  const inConsole = path === '/console' || path.startsWith('/console/');
  return (
    <header class="top">
      <a class="skip" href="#main">{t('skipToContent')}</a>
      <div class="bar">
        <a class="brand" href="/">{t('brand')}</a>
        <LanguageSwitch />
        {session.user && <button type="button" onClick={() => void signOut(auth)}>{t('signOut')}</button>}
      </div>
      {session.user && !session.unverified && (
        <nav aria-label={t('mainNav')}>
          <ul>
            <Nav routes={SELLER_ROUTES} ns="seller" />
            {staff && <li><a href="/console" class="console-link" aria-current={inConsole ? 'true' : undefined}>{t('consoleNav')}</a></li>}
          </ul>
        </nav>
      )}
      {staff && inConsole && (
        <nav aria-label={t('consoleNav')} class="subnav">
          <ul>
            <Nav routes={CONSOLE_ROUTES} ns="staff" />
          </ul>
        </nav>
      )}
    </header>
  );
}

/** Wraps a page by who may open it: signed-out readers are sent to sign in, sellers away from the console. */
function guarded(route: PageRoute): (props: Record<string, unknown>) => JSX.Element {
  const Page = route.component;
  return function Guarded(props) {
    const { t } = useTranslation();
    const session = useSession();
    if (!session.ready) return <p role="status">{t('loading')}</p>;
    if (route.access !== 'public' && !session.user) return <SignInPage />;
    if (route.access !== 'public' && session.unverified) return <VerifyEmailPage />;
    if (route.access === 'staff' && !session.role) return <p class="notice notice-error" role="alert">{t('staffOnly')}</p>;
    return <Page {...props} />;
  };
}

/**
 * After an in-app navigation, moves focus to the page's content and names the page in the title,
 * so keyboard and screen-reader users land where a full page load would put them.
 */
function FocusOnNavigation(): null {
  const { path } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const main = document.getElementById('main');
    main?.focus();
    // The page's heading appears once its data or guard has settled.
    const timer = setTimeout(() => {
      const heading = main?.querySelector('h1')?.textContent;
      if (heading) document.title = `${heading} · OrderPally`;
    }, 0);
    return () => clearTimeout(timer);
  }, [path]);
  return null;
}

const ROUTES: readonly PageRoute[] = [...SELLER_ROUTES, ...CONSOLE_ROUTES];
const GUARDED = ROUTES.map((r) => ({ path: r.path, component: guarded(r) }));

function NotFound(): JSX.Element {
  const { t } = useTranslation();
  return <p>{t('notFound')} <a href="/">{t('brand')}</a></p>;
}

/** The whole app: one router over the seller pages and the staff console. */
export function App(): JSX.Element {
  const session = useSessionSource();
  return (
    <SessionContext.Provider value={session}>
      <LocationProvider>
        <Header />
        <FocusOnNavigation />
        <main id="main" tabIndex={-1}>
          <Router>
            <Route path="/sign-in" component={SignInPage} />
            <Route path="/sign-up" component={SignUpPage} />
            <Route path="/verify" component={VerifyEmailPage} />
            {GUARDED.map((r) => <Route key={r.path} path={r.path} component={r.component} />)}
            <Route default component={NotFound} />
          </Router>
        </main>
      </LocationProvider>
    </SessionContext.Provider>
  );
}
