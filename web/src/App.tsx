import { useMemo } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { Provider } from 'urql';
import { createClient } from './client';
import { Layout } from './components/Layout';
import { SignInPage } from './pages/signin/SignInPage';
import { homeOf, SCREENS } from './routes';
import { SessionProvider, useSession } from './session';

export function App() {
  return (
    <SessionProvider>
      <BrowserRouter>
        <SignedIn />
      </BrowserRouter>
    </SessionProvider>
  );
}

function SignedIn() {
  const { session, signOut } = useSession();
  const token = session?.token;
  const client = useMemo(() => (token ? createClient(token, signOut) : null), [token, signOut]);
  if (!session || !client) return <SignInPage />;
  const role = session.caller.role;
  return (
    <Provider value={client}>
      <Layout>
        <Routes>
          {SCREENS.filter((s) => s.roles.includes(role)).map((s) => (
            <Route key={s.path} path={s.path} element={<s.component />} />
          ))}
          <Route path="*" element={<Navigate to={homeOf(role)} replace />} />
        </Routes>
      </Layout>
    </Provider>
  );
}
