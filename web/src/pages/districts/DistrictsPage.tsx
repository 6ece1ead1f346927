// Districts (each under one policy) and the housing stock: ADMIN creates and edits districts; ADMIN
// and MANAGER register, edit, withdraw and return units, one by one or as a file. A caseworker sees
// the units of its own districts.
import { useTranslation } from 'react-i18next';
import { useMay } from '../../session';
import { DistrictsSection } from './DistrictsSection';
import { FileImport } from '../../components/FileImport';
import { UnitsSection } from './UnitsSection';
import { Section } from '../../components/ui';
import { useState } from 'react';

export function DistrictsPage() {
  const { t } = useTranslation();
  const mayImport = useMay('ADMIN', 'MANAGER');
  // bumped after an import so the units list asks the hub again
  const [imported, setImported] = useState(0);
  return (
    <>
      <header className="page-header">
        <h1>{t('districts.title')}</h1>
      </header>
      <DistrictsSection />
      <UnitsSection refresh={imported} />
      {mayImport && (
        <Section title={t('districts.importTitle')}>
          <FileImport
            kind="units"
            title={t('districts.importTitle')}
            columns="address,districtId,floorArea,rooms,kind"
            onImported={() => setImported((n) => n + 1)}
          />
        </Section>
      )}
    </>
  );
}
