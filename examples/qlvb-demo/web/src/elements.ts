// The kyso elements this app uses, each defined by its own registering module.
import '@kyso/elements/sign-document';
import '@kyso/elements/verify-badge';
import '@kyso/elements/signature-panel';
