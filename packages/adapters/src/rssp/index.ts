export { RsspClient, RSSP_DEFAULT_STATUS_CODES, type RsspClientOptions, type RsspStatusKind } from './rssp-client.js';
