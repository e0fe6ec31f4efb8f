import type { Routes } from '@angular/router';
import { signedInGuard } from './core/auth.guard';
import { Shell } from './shell/shell';
import { SignInPage } from './sign-in/sign-in';

export const routes: Routes = [
  { path: 'sign-in', component: SignInPage, title: 'Sign in · Cairn' },
  {
    path: '',
    component: Shell,
    canActivate: [signedInGuard],
    children: [
      {
        path: '',
        pathMatch: 'full',
        title: 'Dashboard · Cairn',
        loadComponent: () => import('./dashboard/dashboard').then((m) => m.DashboardPage),
      },
      {
        path: 'jobs/new',
        title: 'New backup · Cairn',
        loadComponent: () => import('./jobs/wizard/job-wizard').then((m) => m.JobWizardPage),
      },
      {
        path: 'jobs/:id/edit',
        title: 'Edit backup · Cairn',
        loadComponent: () => import('./jobs/wizard/job-wizard').then((m) => m.JobWizardPage),
      },
      {
        path: 'jobs/:id/snapshots',
        title: 'Snapshots · Cairn',
        loadComponent: () => import('./snapshots/snapshots-page').then((m) => m.SnapshotsPage),
      },
      {
        path: 'jobs/:id/maintenance',
        title: 'Maintenance · Cairn',
        loadComponent: () => import('./jobs/maintenance/maintenance-page').then((m) => m.MaintenancePage),
      },
      {
        path: 'runs',
        title: 'History · Cairn',
        loadComponent: () => import('./runs/run-history/run-history').then((m) => m.RunHistoryPage),
      },
      {
        path: 'runs/:id',
        title: 'Run · Cairn',
        loadComponent: () => import('./runs/run-page').then((m) => m.RunPage),
      },
      {
        path: 'destinations',
        title: 'Destinations · Cairn',
        loadComponent: () => import('./destinations/destinations-page').then((m) => m.DestinationsPage),
      },
      {
        path: 'settings',
        title: 'Settings · Cairn',
        loadComponent: () => import('./settings/settings-page').then((m) => m.SettingsPage),
      },
    ],
  },
  { path: '**', redirectTo: '' },
];
