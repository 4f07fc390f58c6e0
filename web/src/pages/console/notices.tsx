import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useTranslation } from 'react-i18next';
import type { CallableResult } from '../../api/client';
import { useSession } from '../../auth/session';
import { ErrorMessage, Field, Status } from '../../components/ui';
import { api } from '../../firebase';
import { formatDateTime } from '../../time';
import { ActionPanel } from './action-panel';
import { addMonths, taipeiToday } from './dates';
import { useLoaded } from './use-loaded';

type Notice = CallableResult<'listServiceNotices'>['notices'][number];
const KINDS = ['change', 'discontinuation', 'sla'] as const;
const EXEMPTIONS = ['security-or-ip', 'force-majeure', 'legal'] as const;
type Exemption = (typeof EXEMPTIONS)[number] | '';

/** A notice's text in the reader's language (staff may have written one text for both). */
function textIn(text: Notice['title'], locale: string): string {
  return typeof text === 'string' ? text : locale === 'en' ? text.en : text['zh-TW'];
}

/** Service notices (clauses 2.1, 2.2): announce one in both languages, and withdraw one. Admins act; support reads. */
export function NoticesPage(): JSX.Element {
  const { t } = useTranslation('staff');
  const canAct = useSession().role === 'admin';
  const list = useLoaded(() => api.call('listServiceNotices'), 'notices');
  return (
    <section aria-labelledby="notices-title">
      <h1 id="notices-title">{t('notices.title')}</h1>
      <p class="notice">{t('notices.intro')}</p>
      {!canAct && <p class="notice">{t('common.adminOnly')}</p>}
      <Announce canAct={canAct} onDone={list.reload} />
      <h2>{t('notices.list')}</h2>
      <ErrorMessage error={list.error} />
      {list.data && list.data.notices.length === 0 && <p>{t('common.empty')}</p>}
      <ul class="console-list" aria-label={t('notices.list')}>
        {list.data?.notices.map((n) => <NoticeItem key={n.noticeId} notice={n} canAct={canAct} onDone={list.reload} />)}
      </ul>
    </section>
  );
}

function Announce({ canAct, onDone }: { canAct: boolean; onDone: () => Promise<void> }): JSX.Element {
  const { t } = useTranslation('staff');
  const earliest = addMonths(taipeiToday(), 1);
  const [text, setText] = useState({ titleZh: '', titleEn: '', bodyZh: '', bodyEn: '' });
  const [kind, setKind] = useState<(typeof KINDS)[number]>('change');
  const [date, setDate] = useState(earliest);
  const [exemption, setExemption] = useState<Exemption>('');
  const [justification, setJustification] = useState('');
  const tooSoon = date !== '' && date < earliest && !exemption;
  const filled = Object.values(text).every((v) => v.trim() !== '') && date !== '' && (!exemption || justification.trim() !== '');
  const input = (key: keyof typeof text, label: string, multi = false): JSX.Element => (
    <Field label={label}>
      {(id) => multi
        ? <textarea id={id} required value={text[key]} onInput={(e) => setText({ ...text, [key]: e.currentTarget.value })} />
        : <input id={id} required maxLength={200} value={text[key]} onInput={(e) => setText({ ...text, [key]: e.currentTarget.value })} />}
    </Field>
  );
  return (
    <ActionPanel open legend={t('notices.announce')} confirm={t('notices.announceConfirm')} disabled={!canAct} ready={filled && !tooSoon} onDone={onDone}
      run={async () => {
        const { recipients } = await api.call('adminAnnounceServiceChange', {
          title: { 'zh-TW': text.titleZh, en: text.titleEn },
          body: { 'zh-TW': text.bodyZh, en: text.bodyEn },
          kind,
          effectiveAt: date,
          exemption: exemption || null,
          justification: exemption ? justification : null,
        });
        setText({ titleZh: '', titleEn: '', bodyZh: '', bodyEn: '' });
        return t('notices.announced', { count: recipients });
      }}>
      {input('titleZh', t('notices.titleZh'))}
      {input('titleEn', t('notices.titleEn'))}
      {input('bodyZh', t('notices.bodyZh'), true)}
      {input('bodyEn', t('notices.bodyEn'), true)}
      <Field label={t('notices.kind')}>
        {(id) => (
          <select id={id} value={kind} onChange={(e) => setKind(e.currentTarget.value as (typeof KINDS)[number])}>
            {KINDS.map((k) => <option key={k} value={k}>{t(`notices.kinds.${k}`)}</option>)}
          </select>
        )}
      </Field>
      <Field label={t('notices.effectiveDate')} hint={t('notices.effectiveHint', { earliest })} error={tooSoon ? t('notices.tooSoon', { earliest }) : null}>
        {(id, d) => <input id={id} type="date" required aria-describedby={d} aria-invalid={tooSoon} value={date} onInput={(e) => setDate(e.currentTarget.value)} />}
      </Field>
      <Field label={t('notices.exemption')}>
        {(id) => (
          <select id={id} value={exemption} onChange={(e) => setExemption(e.currentTarget.value as Exemption)}>
            <option value="">{t('notices.noExemption')}</option>
            {EXEMPTIONS.map((x) => <option key={x} value={x}>{t(`notices.exemptions.${x}`)}</option>)}
          </select>
        )}
      </Field>
      {exemption && (
        <Field label={t('notices.justification')}>{(id) => <textarea id={id} required maxLength={2000} value={justification} onInput={(e) => setJustification(e.currentTarget.value)} />}</Field>
      )}
    </ActionPanel>
  );
}

function NoticeItem({ notice: n, canAct, onDone }: { notice: Notice; canAct: boolean; onDone: () => Promise<void> }): JSX.Element {
  const { t, i18n } = useTranslation('staff');
  const [reason, setReason] = useState('');
  // The panel goes once the notice is withdrawn: its outcome stays shown here.
  const [done, setDone] = useState<string | null>(null);
  const date = (iso: string | null): string => formatDateTime(iso, i18n.language);
  return (
    <li>
      <h3>{textIn(n.title, i18n.language)} <span class="hint">（{t(`notices.kinds.${n.kind}`, { defaultValue: n.kind })}）</span></h3>
      <p class="hint">{t('notices.effective', { date: date(n.effectiveAt) })} · {t('notices.announcedAt', { date: date(n.announcedAt) })}</p>
      <p class="console-text">{textIn(n.body, i18n.language)}</p>
      {n.exemption && <p class="hint console-text">{t('notices.exemptionUsed', { exemption: t(`notices.exemptions.${n.exemption}`, { defaultValue: n.exemption }), justification: n.justification ?? '' })}</p>}
      {n.status === 'withdrawn' && done && <Status>{done}</Status>}
      {n.status === 'withdrawn'
        ? <p class="notice">{t('notices.withdrawn', { date: date(n.withdrawnAt), reason: n.withdrawalReason ?? '' })}</p>
        : (
          <ActionPanel legend={t('notices.withdraw')} confirm={t('notices.withdrawConfirm')} danger disabled={!canAct} ready={reason.trim() !== ''} onDone={onDone}
            run={async () => {
              const { recipients } = await api.call('adminWithdrawServiceNotice', { noticeId: n.noticeId, reason });
              const message = t('notices.withdrawDone', { count: recipients });
              setDone(message);
              return message;
            }}>
            <Field label={t('notices.withdrawReason')}>{(id) => <input id={id} required maxLength={500} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />}</Field>
          </ActionPanel>
        )}
    </li>
  );
}
