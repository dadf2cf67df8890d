export { MySignClient, MYSIGN_URL, type MySignClientOptions } from './mysign-client.js';
