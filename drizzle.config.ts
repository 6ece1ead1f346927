import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: [
    './src/db/schema.ts',
    './src/agency/tables.ts',
    './src/policy/tables.ts',
    './src/detection/tables.ts',
    './src/jobs/tables.ts',
    './src/auth/tables.ts',
    './src/allocation/tables.ts',
    './src/rent/tables.ts',
    './src/households/tables.ts',
    './src/exit/tables.ts',
    './connectors/*/tables.ts',
  ],
  out: './drizzle',
});
