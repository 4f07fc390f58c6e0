import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, Field, Status, useAction } from '../../components/ui';
import { api } from '../../firebase';
import { switchLocale, type Locale } from '../../i18n';
import { formatDateTime } from '../../time';
import { useAccount, type Account } from './use-account';

/** The contact address: a code goes to the new address, and only the code confirms it is theirs. */
function ContactEmail({ account, onChange }: { account: Account; onChange: (a: Account) => void }): JSX.Element {
  const { t, i18n } = useTranslation('seller');
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [sent, setSent] = useState<{ email: string; expiresAt: string } | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const ask = useAction(() => api.call('setContactEmail', { email: email.trim() }));
  const confirm = useAction(() => api.call('confirmContactEmail', { code: code.trim() }));
  return (
    <section aria-labelledby="contact-title">
      <h2 id="contact-title">{t('settings.contactTitle')}</h2>
      <p>{t('settings.contactExplain')}</p>
      <p>{t('settings.contactNow', { email: account.contactEmail ?? t('settings.contactNone') })}</p>
      <form onSubmit={(e) => {
        e.preventDefault();
        setConfirmed(false);
        void ask.run().then((r) => r && setSent(r));
      }}>
        <Field label={t('settings.contactEmail')}>
          {(id, d) => <input id={id} aria-describedby={d} type="email" autoComplete="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />}
        </Field>
        <ErrorMessage error={ask.error} />
        <button type="submit" class="primary" disabled={ask.busy}>{t('settings.sendCode')}</button>
      </form>
      {sent && (
        <form onSubmit={(e) => {
          e.preventDefault();
          void confirm.run().then((a) => {
            if (!a) return;
            onChange(a);
            setSent(null);
            setCode('');
            setEmail('');
            setConfirmed(true);
          });
        }}>
          <Status>{t('settings.codeSent', { email: sent.email, until: formatDateTime(sent.expiresAt, i18n.language) })}</Status>
          <Field label={t('settings.code')} hint={t('settings.codeHint')}>
            {(id, d) => <input id={id} aria-describedby={d} inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" maxLength={6} required value={code} onInput={(e) => setCode(e.currentTarget.value)} />}
          </Field>
          <ErrorMessage error={confirm.error} />
          <button type="submit" class="primary" disabled={confirm.busy}>{t('settings.confirmCode')}</button>
        </form>
      )}
      {confirmed && <Status>{t('settings.contactConfirmed', { email: account.contactEmail })}</Status>}
    </section>
  );
}

/** The language of mails and of these pages: saved on the account (`setLocale`) and applied here at once. */
function Language({ account, onChange }: { account: Account; onChange: (a: Account) => void }): JSX.Element {
  const { t } = useTranslation('seller');
  const [locale, setLocale] = useState<Locale>(account.locale === 'en' ? 'en' : 'zh-TW');
  const [saved, setSaved] = useState(false);
  const save = useAction(() => api.call('setLocale', { locale }));
  return (
    <section aria-labelledby="language-title">
      <h2 id="language-title">{t('settings.languageTitle')}</h2>
      <form onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        void save.run().then(async (a) => {
          if (!a) return;
          onChange(a);
          await switchLocale(locale);
          setSaved(true);
        });
      }}>
        <Field label={t('settings.language')} hint={t('settings.languageHint')}>
          {(id, d) => (
            <select id={id} aria-describedby={d} value={locale} onChange={(e) => setLocale(e.currentTarget.value as Locale)}>
              <option value="zh-TW">繁體中文</option>
              <option value="en">English</option>
            </select>
          )}
        </Field>
        <ErrorMessage error={save.error} />
        <button type="submit" class="primary" disabled={save.busy}>{t('common:save')}</button>
      </form>
      {saved && <Status>{t('settings.languageSaved')}</Status>}
    </section>
  );
}

/** `/settings`: contact email and language. */
export function SettingsPage(): JSX.Element {
  const { t } = useTranslation('seller');
  const { account, busy, error, set } = useAccount();
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">{t('settings.title')}</h1>
      <ErrorMessage error={error} />
      {!account && busy && <p role="status">{t('common:loading')}</p>}
      {account && <ContactEmail account={account} onChange={set} />}
      {account && <Language account={account} onChange={set} />}
    </section>
  );
}
