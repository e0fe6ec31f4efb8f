import type { ComponentFixture } from '@angular/core/testing';

/** Lets pending promises (a fake API's answers) resolve, then renders. */
export async function settle(fixture: ComponentFixture<unknown>): Promise<void> {
  for (let round = 0; round < 3; round++) {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  }
}

export function root(fixture: ComponentFixture<unknown>): HTMLElement {
  return fixture.nativeElement as HTMLElement;
}

/** The control a <mat-label> (or aria-label) names, as a person finds it. */
export function control<T extends HTMLElement = HTMLInputElement>(
  fixture: ComponentFixture<unknown>,
  label: string,
): T {
  const element = root(fixture);
  const byAria = element.querySelector<T>(`[aria-label="${label}"]`);
  if (byAria) return byAria;
  const tag = [...element.querySelectorAll('label')].find((each) => each.textContent?.trim() === label);
  const target = tag?.htmlFor && element.querySelector<T>(`#${CSS.escape(tag.htmlFor)}`);
  if (!target) throw new Error(`no control labelled "${label}"`);
  return target;
}

export function type(fixture: ComponentFixture<unknown>, label: string, value: string): void {
  const input = control<HTMLInputElement | HTMLTextAreaElement>(fixture, label);
  input.value = value;
  input.dispatchEvent(new Event('input'));
  input.dispatchEvent(new Event('blur'));
}

export function button(fixture: ComponentFixture<unknown>, name: string): HTMLButtonElement {
  const found = [...root(fixture).querySelectorAll('button')].find((each) =>
    each.textContent?.replace(/\s+/g, ' ').trim().endsWith(name),
  );
  if (!found) throw new Error(`no button "${name}"`);
  return found;
}

export async function click(fixture: ComponentFixture<unknown>, name: string): Promise<void> {
  button(fixture, name).click();
  await settle(fixture);
}

/** The messages under the fields, in order. */
export function fieldErrors(fixture: ComponentFixture<unknown>): string[] {
  return [...root(fixture).querySelectorAll('mat-error')].map((error) => error.textContent?.trim() ?? '');
}

export function alerts(fixture: ComponentFixture<unknown>): string[] {
  return [...root(fixture).querySelectorAll('[role="alert"]')].map((alert) =>
    (alert.textContent ?? '').replace(/^error/, '').trim(),
  );
}
