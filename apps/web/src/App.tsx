import { createBrowserRouter, Navigate, RouterProvider } from 'react-router-dom';
import type { ReactNode } from 'react';
import { Shell } from './components/Shell';
import { AdminPage } from './pages/AdminPage';
import { DashboardPage } from './pages/DashboardPage';
import { NewTicketPage } from './pages/NewTicketPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { OutOfOfficePage } from './pages/OutOfOfficePage';
import { TicketListPage } from './pages/TicketListPage';
import { TicketPage } from './pages/TicketPage';
import { useSession } from './session/context';
import { SessionProvider } from './session/SessionProvider';

function AdminOnly({ children }: { children: ReactNode }) {
  const { user } = useSession();
  return user.role === 'admin' ? children : <NotFoundPage />;
}

const router = createBrowserRouter([
  {
    element: (
      <SessionProvider>
        <Shell />
      </SessionProvider>
    ),
    children: [
      { index: true, element: <Navigate to="/todo" replace /> },
      { path: 'todo', element: <TicketListPage key="todo" box="todo" /> },
      { path: 'mine', element: <TicketListPage key="mine" box="mine" /> },
      { path: 'cc', element: <TicketListPage key="cc" box="cc" /> },
      { path: 'new', element: <NewTicketPage /> },
      { path: 'settings/out-of-office', element: <OutOfOfficePage /> },
      { path: 'tickets/:id', element: <TicketPage /> },
      {
        path: 'admin',
        element: (
          <AdminOnly>
            <AdminPage />
          </AdminOnly>
        ),
      },
      {
        path: 'admin/dashboard',
        element: (
          <AdminOnly>
            <DashboardPage />
          </AdminOnly>
        ),
      },
      {
        path: 'all',
        element: (
          <AdminOnly>
            <TicketListPage key="all" box="all" />
          </AdminOnly>
        ),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

export function App() {
  return <RouterProvider router={router} />;
}
