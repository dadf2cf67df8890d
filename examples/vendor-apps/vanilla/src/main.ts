import '@kyso/elements/verify-badge';
import '@kyso/elements/sign-document';
import { setUpKyso } from './kyso-page.js';

void setUpKyso(document.querySelector('verify-badge')!, document.querySelector('sign-document')!);
