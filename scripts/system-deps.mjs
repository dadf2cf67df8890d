#!/usr/bin/env node
// Installs the Debian packages kyso's tests use, when they are missing.
// As root it runs apt-get; otherwise it says what to install and exits non-zero.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Command (or file) that proves a package is there → the Debian package that brings it. */
const NEEDS = [
  ['pdfsig', 'poppler-utils'],
  ['pdftoppm', 'poppler-utils'],
  ['qpdf', 'qpdf'],
  ['openssl', 'openssl'],
  ['certutil', 'libnss3-tools'],
  ['softhsm2-util', 'softhsm2'],
  ['pkcs11-tool', 'opensc'],
  ['chromium', 'chromium'],
  ['faketime', 'faketime'],
  ['redis-server', 'redis-server'],
  ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', 'fonts-dejavu-core'],
];

const has = (cmd) => (cmd.startsWith('/') ? existsSync(cmd) : spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0);
const missing = [...new Set(NEEDS.filter(([cmd]) => !has(cmd)).map(([, pkg]) => pkg))];
if (missing.length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot) {
  console.error(`kyso tests need these Debian packages: ${missing.join(' ')}\n` +
    `Install them with: sudo apt-get install -y ${missing.join(' ')}`);
  process.exit(1);
}
console.log(`Installing Debian packages for the tests: ${missing.join(' ')}`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
