import { createUserWithEmailAndPassword, FacebookAuthProvider, OAuthProvider, sendEmailVerification, signInWithCredential, signInWithEmailAndPassword, signInWithPopup } from 'firebase/auth';
import type { JSX } from 'preact';
import { useLocation } from 'preact-iso';
import { useRef, useState } from 'preact/hooks';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session';
import { Field, Status } from '../components/ui';
import { CONFIG } from '../config';
import { auth } from '../firebase';

/** Firebase Auth's error code (`auth/wrong-password`) as a key of the `common` namespace's `auth` table. */
function authErrorKey(error: unknown): string {
  const code = (error as { code?: string }).code ?? 'auth/internal-error';
  const message = (error as { message?: string }).message ?? '';
  // A blocking function's refusal (e.g. a provider other than email or Facebook) arrives inside the message.
  const blocked = /SIGN_IN_METHOD_NOT_ALLOWED|ACCOUNT_SUSPENDED|ACCOUNT_TERMINATED|USER_DISABLED/.exec(message);
  return `auth.${blocked ? blocked[0] : code.replace(/^auth\//, '')}`;
}

function useAuthAction(): { busy: boolean; error: string | null; run: (action: () => Promise<void>) => Promise<void> } {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return {
    busy,
    error,
    run: async (action) => {
      setBusy(true);
      setError(null);
      try {
        await action();
      } catch (e) {
        setError(t(authErrorKey(e), { defaultValue: t('auth.fallback') }));
      } finally {
        setBusy(false);
      }
    },
  };
}

/**
 * Facebook sign-in. In production, Facebook's own window (signInWithPopup through the project's
 * auth handler). Against the Auth emulator, which fakes Facebook, the same provider is signed in
 * with an emulator token that this dialog asks for: the SDK's popup would first fetch Google's
 * loader script from the internet, which a local stack must not need (README "Signing in locally").
 */
function FacebookButton({ onDone }: { onDone: () => void }): JSX.Element {
  const { t } = useTranslation();
  const action = useAuthAction();
  const dialog = useRef<HTMLDialogElement>(null);
  const [fakeEmail, setFakeEmail] = useState('');
  const [fakeName, setFakeName] = useState('');
  const emulated = CONFIG.emulators !== null;
  const signInEmulated = (event: Event): void => {
    event.preventDefault();
    dialog.current?.close();
    void action.run(async () => {
      const email = fakeEmail.trim();
      // The emulator takes a JSON object as Facebook's ID token; `sub` is the Facebook user id.
      const idToken = JSON.stringify({ sub: `fb-${email.toLowerCase()}`, email, name: fakeName.trim() || undefined });
      await signInWithCredential(auth, new OAuthProvider('facebook.com').credential({ idToken }));
      onDone();
    });
  };
  return (
    <div>
      <button type="button" class="facebook" disabled={action.busy} onClick={() => {
        if (emulated) {
          dialog.current?.showModal();
          return;
        }
        void action.run(async () => {
          await signInWithPopup(auth, new FacebookAuthProvider());
          onDone();
        });
      }}>{t('signInWithFacebook')}</button>
      {action.error && <p class="error" role="alert">{action.error}</p>}
      {emulated && (
        <dialog ref={dialog} aria-labelledby="facebook-emulator-title">
          <form onSubmit={signInEmulated}>
            <h2 id="facebook-emulator-title">{t('facebookEmulatorTitle')}</h2>
            <p>{t('facebookEmulatorBody')}</p>
            <Field label={t('facebookEmulatorEmail')}>{(id, d) => <input id={id} aria-describedby={d} type="email" required value={fakeEmail} onInput={(e) => setFakeEmail(e.currentTarget.value)} />}</Field>
            <Field label={t('facebookEmulatorName')}>{(id, d) => <input id={id} aria-describedby={d} type="text" value={fakeName} onInput={(e) => setFakeName(e.currentTarget.value)} />}</Field>
            <div class="actions">
              <button type="button" onClick={() => dialog.current?.close()}>{t('cancel')}</button>
              <button type="submit" class="primary">{t('signInWithFacebook')}</button>
            </div>
          </form>
        </dialog>
      )}
    </div>
  );
}

function EmailPasswordForm({ mode }: { mode: 'sign-in' | 'sign-up' }): JSX.Element {
  const { t } = useTranslation();
  const { route } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const action = useAuthAction();
  const submit = (event: Event): void => {
    event.preventDefault();
    void action.run(async () => {
      if (mode === 'sign-up') {
        const { user } = await createUserWithEmailAndPassword(auth, email.trim(), password);
        await sendEmailVerification(user);
        route('/verify');
      } else {
        await signInWithEmailAndPassword(auth, email.trim(), password);
        route('/');
      }
    });
  };
  return (
    <form onSubmit={submit} noValidate={false}>
      <Field label={t('email')}>{(id, d) => <input id={id} aria-describedby={d} type="email" autoComplete="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />}</Field>
      <Field label={t('password')} hint={mode === 'sign-up' ? t('passwordHint') : undefined}>
        {(id, d) => <input id={id} aria-describedby={d} type="password" autoComplete={mode === 'sign-up' ? 'new-password' : 'current-password'} minLength={mode === 'sign-up' ? 8 : undefined} required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />}
      </Field>
      {action.error && <p class="error" role="alert">{action.error}</p>}
      <button type="submit" class="primary" disabled={action.busy}>{mode === 'sign-up' ? t('signUp') : t('signIn')}</button>
    </form>
  );
}

/** Sign in with email+password or Facebook (the only two methods, DESIGN §2). */
export function SignInPage(): JSX.Element {
  const { t } = useTranslation();
  const { route } = useLocation();
  return (
    <section class="card narrow" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t('signIn')}</h1>
      <EmailPasswordForm mode="sign-in" />
      <p class="or">{t('or')}</p>
      <FacebookButton onDone={() => route('/')} />
      <p>{t('noAccount')} <a href="/sign-up">{t('signUp')}</a></p>
      <p><a href="/report">{t('reportSignedOut')}</a></p>
    </section>
  );
}

/** Create an account with email+password (then verify the address) or Facebook. */
export function SignUpPage(): JSX.Element {
  const { t } = useTranslation();
  const { route } = useLocation();
  return (
    <section class="card narrow" aria-labelledby="sign-up-title">
      <h1 id="sign-up-title">{t('signUp')}</h1>
      <EmailPasswordForm mode="sign-up" />
      <p class="or">{t('or')}</p>
      <FacebookButton onDone={() => route('/')} />
      <p>{t('haveAccount')} <a href="/sign-in">{t('signIn')}</a></p>
    </section>
  );
}

/**
 * The verification step (clause 5.2): until the address is confirmed the functions answer
 * EMAIL_NOT_VERIFIED, so this page waits for the link to be opened, then refreshes the ID token.
 */
export function VerifyEmailPage(): JSX.Element {
  const { t } = useTranslation();
  const { route } = useLocation();
  const session = useSession();
  const [sent, setSent] = useState(false);
  const [notYet, setNotYet] = useState(false);
  const action = useAuthAction();
  const user = session.user;
  if (!user) return <SignInPage />;
  return (
    <section class="card narrow" aria-labelledby="verify-title">
      <h1 id="verify-title">{t('verifyTitle')}</h1>
      <p>{t('verifyBody', { email: user.email })}</p>
      {CONFIG.emulators && (
        // The Auth emulator sends no mail: it lists the links it would have sent.
        <p class="hint">{t('verifyEmulator')} <a href={`${CONFIG.emulators.auth}/emulator/v1/projects/${CONFIG.firebase.projectId}/oobCodes`} target="_blank" rel="noopener noreferrer">{t('verifyEmulatorLink')}</a></p>
      )}
      <button type="button" class="primary" disabled={action.busy} onClick={() => void action.run(async () => {
        await user.reload();
        if (!user.emailVerified) {
          setNotYet(true);
          return;
        }
        await user.getIdToken(true);
        route('/');
      })}>{t('verifyDone')}</button>
      <button type="button" disabled={action.busy} onClick={() => void action.run(async () => {
        await sendEmailVerification(user);
        setSent(true);
      })}>{t('verifyResend')}</button>
      {notYet && <p class="error" role="alert">{t('verifyNotYet')}</p>}
      {sent && <Status>{t('verifySent', { email: user.email })}</Status>}
      {action.error && <p class="error" role="alert">{action.error}</p>}
    </section>
  );
}
