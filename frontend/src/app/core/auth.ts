import { HttpClient } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import { API } from '@contracts/http/api';
import type { Tokens } from './api.types';
import { request } from './route-request';

/** Refresh this long before the access token expires, so a request never meets an expired one. */
const REFRESH_MARGIN_MS = 60_000;

/**
 * The session: a short-lived access token held in memory only, renewed silently from the
 * httpOnly refresh cookie (which scripts cannot read), and dropped on sign-out.
 */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);
  private readonly router = inject(Router);
  private readonly token = signal<string | null>(null);
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<boolean> | null = null;

  readonly accessToken = this.token.asReadonly();
  readonly signedIn = computed(() => this.token() !== null);

  async signIn(password: string): Promise<void> {
    this.accept(await request(this.http, API.auth.login, { body: { password } }));
  }

  /** A new access token from the refresh cookie; false when there is no session to renew. */
  refresh(): Promise<boolean> {
    this.refreshing ??= request(this.http, API.auth.refresh, {})
      .then((tokens) => {
        this.accept(tokens);
        return true;
      })
      .catch(() => {
        this.forget();
        return false;
      })
      .finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  async changePassword(current: string, next: string): Promise<void> {
    this.accept(await request(this.http, API.auth.password, { body: { current, next } }));
  }

  async signOut(): Promise<void> {
    await request(this.http, API.auth.logout, {}).catch(() => undefined);
    this.forget();
    await this.router.navigate(['/sign-in']);
  }

  /** Called when the server refused the token: back to the sign-in page, then back here. */
  async sessionEnded(): Promise<void> {
    this.forget();
    await this.router.navigate(['/sign-in'], { queryParams: { next: this.router.url } });
  }

  private accept(tokens: Tokens): void {
    this.token.set(tokens.accessToken);
    clearTimeout(this.refreshTimer);
    const delay = Math.max(5_000, tokens.expiresIn * 1000 - REFRESH_MARGIN_MS);
    this.refreshTimer = setTimeout(() => void this.refresh(), delay);
  }

  private forget(): void {
    clearTimeout(this.refreshTimer);
    this.token.set(null);
  }
}
