import { useEffect, useRef } from 'react';
import '@kyso/elements/verify-badge';
import '@kyso/elements/sign-document';
import type { SignDocument, VerifyBadge } from '@kyso/elements';
import { setUpKyso } from './kyso-page.js';

export function App() {
  const badge = useRef<VerifyBadge>(null);
  const sign = useRef<SignDocument>(null);
  const started = useRef(false);
  useEffect(() => {
    // StrictMode runs effects twice in development: set the elements up once.
    if (started.current) return;
    started.current = true;
    void setUpKyso(badge.current!, sign.current!);
  }, []);
  return (
    <main>
      <h1>React</h1>
      <verify-badge ref={badge} />
      <sign-document ref={sign} />
      <pre id="result" />
    </main>
  );
}
