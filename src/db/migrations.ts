import { fileURLToPath } from 'node:url';

/** drizzle's migrations, the same for both drivers */
export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Several hub instances may start at once against one PostgreSQL: only one migrates at a time. */
export const MIGRATION_LOCK_KEY = 726_4611;
