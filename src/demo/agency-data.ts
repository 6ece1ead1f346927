// What the seven agencies know about the demo households: deterministic, derived from the demo data,
// used to seed the feeds on first start and by the agency simulator.
import { Faker, base, zh_CN } from '@faker-js/faker';
import type { AgencyId } from '../agency/connector.js';
import type { DemoData } from './generator.js';

export type AgencyRecords = Record<AgencyId, Record<string, Record<string, unknown>[]>>;

const monthsBack = (today: string, n: number): string[] => {
  const [y, m] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  const out: string[] = [];
  for (let i = n; i >= 1; i--) {
    const d = new Date(Date.UTC(y, m - 1 - i, 1));
    out.push(d.toISOString().slice(0, 7));
  }
  return out;
};

export function generateAgencyRecords(data: DemoData, seed: number, today: string): AgencyRecords {
  const faker = new Faker({ locale: [zh_CN, base], seed: seed + 1 });
  const chance = (p: number) => faker.number.float({ min: 0, max: 1 }) < p;
  const out: AgencyRecords = {
    'civil-affairs': { allowance: [], income: [], marital: [], death: [] },
    'public-security': { hukou: [], vehicle: [], death: [] },
    'social-security': { pension: [], contract: [] },
    'provident-fund': { deposit: [] },
    utilities: { reading: [] },
    'real-estate': { property: [] },
    'market-regulation': { business: [] },
  };
  const lastYear = Number(today.slice(0, 4)) - 1;
  const last12 = monthsBack(today, 12);
  const membersOf = new Map<number, DemoData['persons']>();
  for (const p of data.persons) membersOf.set(p.householdId, [...(membersOf.get(p.householdId) ?? []), p]);
  const allowanceHouseholds = new Set(data.tenancies.filter((t) => t.rentStandard === 'MINIMUM_ALLOWANCE').map((t) => t.householdId));
  const employer = () => `${faker.company.name()}`;
  const alnum = (n: number) => faker.string.alphanumeric({ length: n, casing: 'upper' });

  for (const h of data.households) {
    const members = membersOf.get(h.id as number) ?? [];
    const head = members.find((m) => m.relation === 'HEAD')!;
    // poorer households are the common case among applicants
    const incomeLevel = faker.number.int({ min: 4_000, max: 40_000 });
    for (const m of members) {
      const adult = m.birthDate <= `${Number(today.slice(0, 4)) - 18}${today.slice(4)}`;
      out['public-security'].hukou!.push({
        residentId: m.residentId,
        areaCode: m.residentId.slice(0, 6),
        kind: h.category === 'LOCAL' ? 'URBAN' : chance(0.5) ? 'URBAN' : 'AGRICULTURAL',
        since: m.birthDate,
      });
      out['civil-affairs'].income!.push({ residentId: m.residentId, year: lastYear, annualIncome: adult ? incomeLevel + faker.number.int(8_000) : 0 });
      if (allowanceHouseholds.has(h.id as number)) {
        out['civil-affairs'].allowance!.push({ residentId: m.residentId, status: 'MINIMUM_ALLOWANCE', since: `${lastYear}-01-01`, until: null });
      }
      if ((m.relation === 'HEAD' || m.relation === 'SPOUSE') && members.some((x) => x.relation === 'SPOUSE')) {
        out['civil-affairs'].marital!.push({ residentId: m.residentId, status: 'MARRIED', since: `${lastYear - 10}-05-01` });
      } else if (m.relation === 'HEAD') {
        const divorced = chance(0.3);
        out['civil-affairs'].marital!.push({
          residentId: m.residentId,
          status: divorced ? 'DIVORCED' : 'SINGLE',
          since: divorced ? `${lastYear - faker.number.int(4)}-03-01` : m.birthDate,
        });
      }
      if (m.relation === 'PARENT' && chance(0.1)) {
        const death = { residentId: m.residentId, diedOn: `${last12[faker.number.int({ min: 2, max: 10 })]}-15` }; // never after today: feeds refuse future events
        out['civil-affairs'].death!.push(death);
        out['public-security'].death!.push(death);
      }
      if (adult && h.category === 'MIGRANT' && (m.relation === 'HEAD' || m.relation === 'SPOUSE')) {
        const company = employer();
        out['social-security'].contract!.push({ residentId: m.residentId, employer: company, startDate: `${lastYear - 1}-03-01`, endDate: null });
        const stopped = chance(0.1) ? 4 : 0; // some stopped paying a few months ago
        for (const month of last12.slice(0, last12.length - stopped)) {
          out['social-security'].pension!.push({ residentId: m.residentId, month, employer: company, amount: 480 });
        }
      }
      if (adult && h.category === 'NEW_CITIZEN' && m.relation === 'HEAD') {
        const company = `宽城县${faker.helpers.arrayElement(['教育局', '人民医院', '自然资源局', '国有投资公司'])}`;
        const salary = faker.number.int({ min: 3_000, max: 6_000 });
        for (const month of last12) {
          out['provident-fund'].deposit!.push({ residentId: m.residentId, month, employer: company, base: salary, amount: Math.round(salary * 0.24) });
        }
      }
    }
    if (chance(0.12)) {
      out['public-security'].vehicle!.push({
        plate: `冀H${Number(h.id).toString(36).toUpperCase().padStart(5, '0')}`, // one vehicle per household at most
        ownerResidentId: head.residentId,
        purchasePrice: faker.number.int({ min: 30_000, max: 180_000 }),
        registeredOn: faker.date.past({ years: 6, refDate: today }).toISOString().slice(0, 10),
        deregisteredOn: null,
      });
    }
    if (chance(0.06)) {
      const disposed = chance(0.5);
      out['real-estate'].property!.push({
        certificateNo: `冀(${lastYear - 5})宽城县不动产权第${faker.string.numeric(7)}号`,
        ownerResidentId: head.residentId,
        kind: chance(0.8) ? 'HOME' : 'RESIDENTIAL_LAND',
        location: `宽城县${faker.location.street()}${faker.number.int({ min: 1, max: 200 })}号`,
        floorArea: faker.number.int({ min: 40, max: 120 }),
        acquiredOn: `${lastYear - 8}-06-01`,
        disposedOn: disposed ? `${lastYear - 1}-09-01` : null,
        disposal: disposed ? faker.helpers.arrayElement(['SOLD', 'GIFTED', 'DIVORCE_SPLIT']) : null,
      });
    }
    if (chance(0.05)) {
      out['market-regulation'].business!.push({
        registrationNo: `91130827${alnum(10)}`,
        ownerResidentId: head.residentId,
        name: `宽城县${faker.person.lastName()}记商店`,
        registeredCapital: faker.helpers.arrayElement([10_000, 30_000, 50_000, 80_000, 100_000, 200_000]),
        status: 'ACTIVE',
        registeredOn: `${lastYear - 3}-04-01`,
      });
    }
  }
  // utility use of occupied units; a few stand empty (near-zero use) for months
  for (const t of data.tenancies) {
    if (t.endDate) continue;
    const vacantMonths = chance(0.05) ? faker.number.int({ min: 2, max: 9 }) : 0;
    last12.forEach((month, i) => {
      const empty = i >= 12 - vacantMonths;
      out.utilities.reading!.push(
        { unitId: t.unitId, month, kind: 'WATER', quantity: empty ? 0 : faker.number.float({ min: 3, max: 12, fractionDigits: 1 }), unit: 'm3' },
        { unitId: t.unitId, month, kind: 'ELECTRICITY', quantity: empty ? faker.number.int(3) : faker.number.int({ min: 60, max: 300 }), unit: 'kWh' },
        { unitId: t.unitId, month, kind: 'GAS', quantity: empty ? 0 : faker.number.float({ min: 2, max: 30, fractionDigits: 1 }), unit: 'm3' },
      );
    });
  }
  return out;
}
