// Registers a household with its members and current housing, which opens its application
// (stage SUBMITTED); then the profile, where the application is advanced. The API checks every
// resident ID and says which one is wrong, next to it.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { ApiError, Field, Section } from '../../components/ui';
import { fieldProblem, useOwnDistricts } from '../cases/ActionDialog';

const DISTRICTS = /* GraphQL */ `
  query RegisterDistricts {
    districts {
      id
      name
    }
  }
`;

const REGISTER = /* GraphQL */ `
  mutation RegisterHousehold($input: RegisterHouseholdInput!) {
    registerHousehold(input: $input) {
      id
      application {
        id
        stage
      }
    }
  }
`;

const CATEGORIES = ['LOCAL', 'MIGRANT', 'NEW_CITIZEN'];
const TENURES = ['RENTED', 'OWNED', 'NONE'];
const RELATIONS = [
  'HEAD',
  'SPOUSE',
  'CHILD',
  'PARENT',
  'SIBLING',
  'GRANDPARENT',
  'GRANDCHILD',
  'GREAT_GRANDCHILD',
  'PARENT_IN_LAW',
  'CHILD_IN_LAW',
  'SIBLING_IN_LAW',
  'UNCLE_OR_AUNT',
  'NEPHEW_OR_NIECE',
  'OTHER',
];

interface MemberDraft {
  key: number;
  name: string;
  residentId: string;
  birthDate: string;
  relation: string;
}

let nextKey = 1;
const blankMember = (relation: string): MemberDraft => ({ key: nextKey++, name: '', residentId: '', birthDate: '', relation });

/** the birth date a resident ID carries (characters 7–14), to fill the date in as the ID is typed */
function birthDateOf(residentId: string): string | null {
  const m = /^\d{6}(\d{4})(\d{2})(\d{2})/.exec(residentId);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

export function RegisterPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [districts] = useQuery<{ districts: { id: string; name: string }[] }>({ query: DISTRICTS });
  const [result, register] = useMutation<{ registerHousehold: { id: string } }>(REGISTER);
  const [districtId, setDistrictId] = useState('');
  const [category, setCategory] = useState('LOCAL');
  const [applicationDate, setApplicationDate] = useState('');
  const [members, setMembers] = useState<MemberDraft[]>([blankMember('HEAD')]);
  const [floorArea, setFloorArea] = useState('');
  const [tenure, setTenure] = useState('RENTED');
  const own = useOwnDistricts(districts.data?.districts);
  const district = districtId || own[0]?.id || '';

  const change = (key: number, patch: Partial<MemberDraft>) =>
    setMembers((list) =>
      list.map((m) => {
        if (m.key !== key) return m;
        const next = { ...m, ...patch };
        // the birth date follows the ID until someone types it
        if (patch.residentId !== undefined && (!m.birthDate || m.birthDate === birthDateOf(m.residentId)))
          next.birthDate = birthDateOf(patch.residentId) ?? m.birthDate;
        return next;
      }),
    );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await register({
      input: {
        districtId: district,
        category,
        applicationDate: applicationDate || null,
        members: members.map((m) => ({ name: m.name, residentId: m.residentId.trim(), birthDate: m.birthDate, relation: m.relation })),
        currentHousing: { floorArea: Number(floorArea || 0), tenure },
      },
    });
    if (done.data) void navigate(`/households/${done.data.registerHousehold.id}`);
  };

  const at = (field: string) => fieldProblem(result.error, field);
  const memberFields = members.flatMap((_, i) => ['name', 'residentId', 'birthDate', 'relation'].map((f) => `input.members[${i}].${f}`));
  return (
    <>
      <header className="page-header">
        <h1>{t('register.title')}</h1>
        <Link to="/households">{t('register.cancel')}</Link>
      </header>
      <ApiError error={districts.error} />
      <form className="register" aria-label={t('register.title')} onSubmit={(e) => void submit(e)}>
        <Section title={t('register.application')}>
          <div className="form">
            <Field label={t('register.district')} error={at('input.districtId')}>
              <select value={district} onChange={(e) => setDistrictId(e.target.value)} required>
                {own.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('register.category')} error={at('input.category')}>
              <select value={category} onChange={(e) => setCategory(e.target.value)}>
                {CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {t(`common.householdCategory.${c}`)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('register.applicationDate')} hint={t('register.applicationDateHint')} error={at('input.applicationDate')}>
              <input type="date" value={applicationDate} onChange={(e) => setApplicationDate(e.target.value)} />
            </Field>
          </div>
        </Section>
        <Section
          title={t('register.members')}
          actions={
            <button type="button" className="secondary" onClick={() => setMembers((list) => [...list, blankMember(list.length ? 'SPOUSE' : 'HEAD')])}>
              {t('register.addMember')}
            </button>
          }
        >
          {at('input.members') && (
            <p className="field-error" role="alert">
              {at('input.members')}
            </p>
          )}
          {members.map((m, i) => (
            <fieldset key={m.key} className="form member">
              <legend>{t('register.member', { n: i + 1 })}</legend>
              <Field label={t('register.name')} error={at(`input.members[${i}].name`)}>
                <input value={m.name} onChange={(e) => change(m.key, { name: e.target.value })} required maxLength={50} />
              </Field>
              <Field label={t('register.residentId')} error={at(`input.members[${i}].residentId`)}>
                <input
                  className="mono"
                  value={m.residentId}
                  onChange={(e) => change(m.key, { residentId: e.target.value })}
                  required
                  maxLength={18}
                  size={20}
                  autoComplete="off"
                />
              </Field>
              <Field label={t('register.birthDate')} error={at(`input.members[${i}].birthDate`)}>
                <input type="date" value={m.birthDate} onChange={(e) => change(m.key, { birthDate: e.target.value })} required />
              </Field>
              <Field label={t('register.relation')} error={at(`input.members[${i}].relation`)}>
                <select value={m.relation} onChange={(e) => change(m.key, { relation: e.target.value })}>
                  {RELATIONS.map((r) => (
                    <option key={r} value={r}>
                      {t(`register.relationLabel.${r}`)}
                    </option>
                  ))}
                </select>
              </Field>
              {members.length > 1 && (
                <button type="button" className="secondary" onClick={() => setMembers((list) => list.filter((x) => x.key !== m.key))}>
                  {t('register.removeMember', { n: i + 1 })}
                </button>
              )}
            </fieldset>
          ))}
        </Section>
        <Section title={t('register.housing')}>
          <div className="form">
            <Field label={t('register.floorArea')} error={at('input.currentHousing.floorArea')}>
              <input type="number" min={0} step="0.1" value={floorArea} onChange={(e) => setFloorArea(e.target.value)} required />
            </Field>
            <Field label={t('register.tenure')} error={at('input.currentHousing.tenure')}>
              <select value={tenure} onChange={(e) => setTenure(e.target.value)}>
                {TENURES.map((x) => (
                  <option key={x} value={x}>
                    {t(`register.tenureLabel.${x}`)}
                  </option>
                ))}
              </select>
            </Field>
          </div>
        </Section>
        <ApiError
          error={result.error}
          shownFields={[
            'input.districtId',
            'input.category',
            'input.applicationDate',
            'input.members',
            'input.currentHousing.floorArea',
            'input.currentHousing.tenure',
            ...memberFields,
          ]}
        />
        <button type="submit" disabled={result.fetching || !district}>
          {t('register.submit')}
        </button>
      </form>
    </>
  );
}
