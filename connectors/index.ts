import type { AgencyId, Connector } from '../src/agency/connector.js';
import { civilAffairs } from './civil-affairs/index.js';
import { marketRegulation } from './market-regulation/index.js';
import { providentFund } from './provident-fund/index.js';
import { publicSecurity } from './public-security/index.js';
import { realEstate } from './real-estate/index.js';
import { socialSecurity } from './social-security/index.js';
import { utilities } from './utilities/index.js';

/** Every agency with its kinds, typed: `agencies['civil-affairs'].kinds.income` reads as an income record. */
export const agencies = {
  'civil-affairs': civilAffairs,
  'public-security': publicSecurity,
  'social-security': socialSecurity,
  'provident-fund': providentFund,
  utilities,
  'real-estate': realEstate,
  'market-regulation': marketRegulation,
} satisfies Record<AgencyId, Connector>;

export type Agencies = typeof agencies;

/** The same, for looking a kind up by the name a feed or a URL gives. */
export const connectors: Record<AgencyId, Connector> = agencies;
