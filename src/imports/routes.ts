// The bureau's file imports, by the kind named in POST /imports/{kind}. Each domain adds its own.
import { unitImportRoute } from '../reference/unit-import.js';
import { rentPaymentsRoute } from '../rent/service.js';
import type { ImportRoute } from './http.js';

export const IMPORT_ROUTES: Record<string, ImportRoute> = {
  units: unitImportRoute,
  'rent-payments': rentPaymentsRoute,
};
