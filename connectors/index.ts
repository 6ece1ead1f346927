import type { AgencyId, Connector } from '../src/agency/connector.js';
import { civilAffairs } from './civil-affairs/index.js';
import { marketRegulation } from './market-regulation/index.js';
import { providentFund } from './provident-fund/index.js';
import { publicSecurity } from './public-security/index.js';
import { realEstate } from './real-estate/index.js';
import { socialSecurity } from './social-security/index.js';
import { utilities } from './utilities/index.js';

export const connectors: Record<AgencyId, Connector> = {
  'civil-affairs': civilAffairs,
  'public-security': publicSecurity,
  'social-security': socialSecurity,
  'provident-fund': providentFund,
  utilities,
  'real-estate': realEstate,
  'market-regulation': marketRegulation,
};
