// Development: pick a demo role (and district) and the hub issues a token for this tab.
// Production: paste an API key or a token once; it is kept for this tab's session only.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/ui';
import { LANGUAGES, setLanguage, type Language } from '../../i18n';
import { useSession, type Caller, type Role } from '../../session';

interface DemoOffer {
  offered: boolean;
  roles?: Role[];
  districts?: { id: string; name: string }[];
}

const BOUND: Role[] = ['CASEWORKER', 'ALERT_CONSUMER'];

/** asks the hub who the token is, so the screen shows the role the API will apply */
async function whoIs(token: string): Promise<Caller> {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ me { id role districts } }' }),
  });
  const body = (await res.json()) as { data?: { me: Caller }; errors?: { message: string }[] };
  if (!body.data?.me) throw new Error(body.errors?.[0]?.message ?? `HTTP ${res.status}`);
  return body.data.me;
}

export function SignInPage() {
  const { t, i18n } = useTranslation();
  const { signIn } = useSession();
  const [offer, setOffer] = useState<DemoOffer | null>(null);
  const [role, setRole] = useState<Role>('CASEWORKER');
  const [district, setDistrict] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    fetch('/auth/demo')
      .then((r) => r.json() as Promise<DemoOffer>)
      .then((o) => {
        setOffer(o);
        if (o.districts?.[0]) setDistrict(o.districts[0].id);
      })
      .catch(() => setOffer({ offered: false }));
  }, []);

  async function finish(obtain: () => Promise<string>) {
    setBusy(true);
    setError(null);
    try {
      const issued = await obtain();
      signIn({ token: issued, caller: await whoIs(issued) });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const demo = (e: FormEvent) => {
    e.preventDefault();
    void finish(async () => {
      const res = await fetch('/auth/demo', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role, districts: BOUND.includes(role) ? [district] : undefined }),
      });
      const body = (await res.json()) as { token?: string; errors?: { message: string }[] };
      if (!body.token) throw new Error(body.errors?.[0]?.message ?? `HTTP ${res.status}`);
      return body.token;
    });
  };
  const paste = (e: FormEvent) => {
    e.preventDefault();
    void finish(async () => token.trim().replace(/^Bearer\s+/i, ''));
  };

  return (
    <main className="signin" id="main">
      <h1>{t('common.appName')}</h1>
      <label className="language">
        {t('common.language')}{' '}
        <select value={i18n.language} onChange={(e) => setLanguage(e.target.value as Language)}>
          {Object.entries(LANGUAGES).map(([code, name]) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </select>
      </label>
      {offer?.offered && (
        <form onSubmit={demo} className="card" aria-label={t('signin.demoTitle')}>
          <h2>{t('signin.demoTitle')}</h2>
          <p className="field-hint">{t('signin.demoHint')}</p>
          <Field label={t('signin.role')}>
            <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {offer.roles!.map((r) => (
                <option key={r} value={r}>
                  {t(`common.role.${r}`)}
                </option>
              ))}
            </select>
          </Field>
          {BOUND.includes(role) && (
            <Field label={t('signin.district')}>
              <select value={district} onChange={(e) => setDistrict(e.target.value)}>
                {offer.districts!.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name} ({d.id})
                  </option>
                ))}
              </select>
            </Field>
          )}
          <button type="submit" disabled={busy}>
            {t('signin.enter')}
          </button>
        </form>
      )}
      <form onSubmit={paste} className="card" aria-label={t('signin.tokenTitle')}>
        <h2>{t('signin.tokenTitle')}</h2>
        <Field label={t('signin.token')} hint={t('signin.tokenHint')}>
          <input type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} required />
        </Field>
        <button type="submit" disabled={busy || !token.trim()}>
          {t('signin.enter')}
        </button>
      </form>
      {error && (
        <p className="api-error" role="alert">
          {t('signin.refused', { message: error })}
        </p>
      )}
    </main>
  );
}
