import { AfterViewInit, Component, CUSTOM_ELEMENTS_SCHEMA, ElementRef, viewChild } from '@angular/core';
import '@kyso/elements/verify-badge';
import '@kyso/elements/sign-document';
import type { SignDocument, VerifyBadge } from '@kyso/elements';
import { setUpKyso } from './kyso-page';

@Component({
  selector: 'app-root',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <main>
      <h1>Angular</h1>
      <verify-badge #badge></verify-badge>
      <sign-document #sign></sign-document>
      <pre id="result"></pre>
    </main>
  `,
})
export class App implements AfterViewInit {
  private readonly badge = viewChild.required<ElementRef<VerifyBadge>>('badge');
  private readonly sign = viewChild.required<ElementRef<SignDocument>>('sign');

  ngAfterViewInit(): void {
    void setUpKyso(this.badge().nativeElement, this.sign().nativeElement);
  }
}
