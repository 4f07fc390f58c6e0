import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useTranslation } from 'react-i18next';
import type { CallableResult } from '../../api/client';
import { ConfirmButton, ErrorMessage, Field, Status, useAction } from '../../components/ui';
import { api } from '../../firebase';
import { formatDateTime } from '../../time';

type ApiKey = CallableResult<'listApiKeys'>['keys'][number];
type Created = CallableResult<'createApiKey'>;

/** The new key, once: only its hash is stored, so this is the one time it can be copied. */
function ShownOnce({ created }: { created: Created }): JSX.Element {
  const { t } = useTranslation('seller');
  const [copied, setCopied] = useState<boolean | null>(null);
  return (
    <div class="notice notice-ok" role="status" data-testid="new-key">
      <p>{t('apiKeys.created', { label: created.label })}</p>
      <p><code class="secret" data-testid="new-key-value">{created.key}</code></p>
      <p><strong>{t('apiKeys.onlyOnce')}</strong></p>
      <button type="button" onClick={() => void navigator.clipboard.writeText(created.key).then(() => setCopied(true), () => setCopied(false))}>{t('apiKeys.copy')}</button>
      {copied === true && <span>{t('apiKeys.copied')}</span>}
      {copied === false && <span class="error">{t('apiKeys.copyFailed')}</span>}
    </div>
  );
}

/** `/api-keys`: create (shown once, with a copy button), list and revoke the owner's API keys (clause 1.3). */
export function ApiKeysPage(): JSX.Element {
  const { t, i18n } = useTranslation('seller');
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [label, setLabel] = useState('');
  const [created, setCreated] = useState<Created | null>(null);
  const [revoked, setRevoked] = useState<string | null>(null);
  const list = useAction(() => api.call('listApiKeys'));
  const create = useAction(() => api.call('createApiKey', { label: label.trim() }));
  const revoke = useAction((keyId: string) => api.call('revokeApiKey', { keyId }));
  const reload = (): void => void list.run().then((r) => r && setKeys(r.keys));
  useEffect(reload, []);
  const submit = (event: Event): void => {
    event.preventDefault();
    setRevoked(null);
    void create.run().then((c) => {
      if (!c) return;
      setCreated(c);
      setLabel('');
      reload();
    });
  };
  return (
    <section aria-labelledby="api-keys-title">
      <h1 id="api-keys-title">{t('apiKeys.title')}</h1>
      <p>{t('apiKeys.explain')}</p>
      <form onSubmit={submit}>
        <Field label={t('apiKeys.label')} hint={t('apiKeys.labelHint')}>
          {(id, d) => <input id={id} aria-describedby={d} type="text" required maxLength={60} value={label} onInput={(e) => setLabel(e.currentTarget.value)} />}
        </Field>
        <ErrorMessage error={create.error} />
        <button type="submit" class="primary" disabled={create.busy}>{t('apiKeys.create')}</button>
      </form>
      {created && <ShownOnce created={created} />}
      <h2>{t('apiKeys.listTitle')}</h2>
      <ErrorMessage error={list.error ?? revoke.error} />
      {revoked && <Status>{t('apiKeys.revokedStatus', { label: revoked })}</Status>}
      {keys && keys.length === 0 && <p>{t('apiKeys.none')}</p>}
      {keys && keys.length > 0 && (
        <ul class="cards">
          {keys.map((key) => (
            <li key={key.keyId} data-testid="api-key-row">
              <h3>{key.label}</h3>
              <dl class="facts">
                <dt>{t('apiKeys.prefix')}</dt>
                <dd><code>{key.prefix}…</code></dd>
                <dt>{t('apiKeys.createdAt')}</dt>
                <dd>{formatDateTime(key.createdAt, i18n.language)}</dd>
                <dt>{t('apiKeys.lastUsedAt')}</dt>
                <dd>{key.lastUsedAt ? formatDateTime(key.lastUsedAt, i18n.language) : t('apiKeys.neverUsed')}</dd>
                <dt>{t('apiKeys.state')}</dt>
                <dd>{key.revokedAt ? t('apiKeys.revokedAt', { date: formatDateTime(key.revokedAt, i18n.language) }) : t('apiKeys.live')}</dd>
              </dl>
              {!key.revokedAt && (
                <ConfirmButton label={t('apiKeys.revoke')} title={t('apiKeys.revokeTitle', { label: key.label })} body={<p>{t('apiKeys.revokeBody')}</p>}
                  confirmLabel={t('apiKeys.revokeConfirm')} danger disabled={revoke.busy}
                  onConfirm={() => void revoke.run(key.keyId).then((v) => { if (v) { setKeys((list) => list && list.map((k) => (k.keyId === v.keyId ? v : k))); setRevoked(v.label); setCreated(null); } })} />
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
