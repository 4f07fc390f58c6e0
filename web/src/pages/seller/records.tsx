import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useTranslation } from 'react-i18next';
import { download, saveFile } from '../../api/download';
import { useSession } from '../../auth/session';
import { ErrorMessage, Field, Status, useAction } from '../../components/ui';
import { api } from '../../firebase';
import { taipeiDate } from '../../time';

// functions/src/records/model.ts RECORD_SCOPES.
const SCOPES = ['activity', 'security', 'all'] as const;
type Scope = (typeof SCOPES)[number];

/** References asked for from this browser, per account, so the owner can come back to download them. */
function remembered(uid: string): string[] {
  try {
    const list: unknown = JSON.parse(localStorage.getItem(`orderpally.records.${uid}`) ?? '[]');
    return Array.isArray(list) ? list.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return [];
  }
}

function remember(uid: string, references: string[]): void {
  localStorage.setItem(`orderpally.records.${uid}`, JSON.stringify(references.slice(0, 20)));
}

/**
 * `/records`: ask support for records (clause 5.8: scope and Taipei dates), then, once support has
 * fulfilled the request, download them (`exportRecords?reference=…`).
 */
export function RecordsPage(): JSX.Element {
  const { t } = useTranslation('seller');
  const { user } = useSession();
  const uid = user?.uid ?? '';
  const today = taipeiDate(new Date());
  const [form, setForm] = useState({ scope: 'all' as Scope, from: '', to: '', note: '' });
  const [references, setReferences] = useState<string[]>(() => remembered(uid));
  const [reference, setReference] = useState('');
  const [requested, setRequested] = useState<string | null>(null);
  const [saved, setSaved] = useState<{ reference: string; lines: number } | null>(null);
  const ask = useAction(() => api.call('requestRecords', {
    scope: form.scope,
    ...(form.from ? { from: form.from } : {}),
    ...(form.to ? { to: form.to } : {}),
    ...(form.note.trim() ? { note: form.note.trim() } : {}),
  }));
  const fetchRecords = useAction(async (ref: string) => {
    setSaved(null);
    const file = await download(user!, 'exportRecords', { reference: ref }, () => {});
    saveFile(file.blob, file.filename);
    setSaved({ reference: ref, lines: file.lines });
  });
  const edit = (field: keyof typeof form) => (e: { currentTarget: { value: string } }) => setForm({ ...form, [field]: e.currentTarget.value });
  return (
    <section aria-labelledby="records-title">
      <h1 id="records-title">{t('records.title')}</h1>
      <p>{t('records.explain')}</p>
      <form onSubmit={(e) => {
        e.preventDefault();
        void ask.run().then((r) => {
          if (!r) return;
          const next = [r.reference, ...references.filter((x) => x !== r.reference)];
          remember(uid, next);
          setReferences(next);
          setRequested(r.reference);
        });
      }}>
        <Field label={t('records.scope')}>
          {(id, d) => (
            <select id={id} aria-describedby={d} value={form.scope} onChange={edit('scope')}>
              {SCOPES.map((s) => <option key={s} value={s}>{t(`records.scopes.${s}`)}</option>)}
            </select>
          )}
        </Field>
        <Field label={t('records.from')} hint={t('records.datesHint')}>
          {(id, d) => <input id={id} aria-describedby={d} type="date" max={form.to || today} value={form.from} onInput={edit('from')} />}
        </Field>
        <Field label={t('records.to')}>
          {(id, d) => <input id={id} aria-describedby={d} type="date" min={form.from || undefined} max={today} value={form.to} onInput={edit('to')} />}
        </Field>
        <Field label={t('records.note')}>
          {(id, d) => <textarea id={id} aria-describedby={d} maxLength={2000} value={form.note} onInput={edit('note')} />}
        </Field>
        <ErrorMessage error={ask.error} />
        <button type="submit" class="primary" disabled={ask.busy}>{t('records.request')}</button>
      </form>
      {requested && <Status><p>{t('records.requested')} <strong data-testid="records-reference">{requested}</strong></p></Status>}

      <h2>{t('records.downloadTitle')}</h2>
      <p>{t('records.downloadExplain')}</p>
      {references.length > 0 && (
        <ul>
          {references.map((ref) => (
            <li key={ref}>
              <code>{ref}</code>{' '}
              <button type="button" disabled={fetchRecords.busy} onClick={() => void fetchRecords.run(ref)}>{t('records.download', { reference: ref })}</button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={(e) => {
        e.preventDefault();
        void fetchRecords.run(reference.trim().toUpperCase());
      }}>
        <Field label={t('records.reference')} hint={t('records.referenceHint')}>
          {(id, d) => <input id={id} aria-describedby={d} type="text" required pattern="[Rr][Ee][Cc]-\d{4}-\d{6}" value={reference} onInput={(e) => setReference(e.currentTarget.value)} />}
        </Field>
        <button type="submit" disabled={fetchRecords.busy}>{t('records.downloadByReference')}</button>
      </form>
      <ErrorMessage error={fetchRecords.error} />
      {saved && <Status>{t('records.saved', { reference: saved.reference, count: saved.lines })}</Status>}
    </section>
  );
}
