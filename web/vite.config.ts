// The dashboard's build: `npm run build:web` (npm start runs it when web/ changed) writes web/dist,
// which the hub serves. `npx vite web` serves it with hot reload against a hub on :4000.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const hub = process.env['HUB_URL'] ?? 'http://localhost:4000';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: {
    proxy: {
      '/graphql': { target: hub, ws: true },
      '/auth': hub,
      '/imports': hub,
    },
  },
});
