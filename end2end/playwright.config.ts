import { defineConfig } from '@playwright/test';

// The real server (debug build from `scripts/build-site.sh`) on its own port, with a fresh database and
// demo accounts whose generated passwords the tests read from .data/demo-credentials.txt.
const PORT = 3100;

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: './test-results',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
  webServer: {
    command: 'rm -rf .data && mkdir -p .data && ../target/debug/liaison-desk serve --demo-data',
    url: `http://127.0.0.1:${PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      LEPTOS_OUTPUT_NAME: 'liaison-desk',
      LEPTOS_SITE_ROOT: '../target/site',
      LEPTOS_SITE_PKG_DIR: 'pkg',
      LEPTOS_SITE_ADDR: `127.0.0.1:${PORT}`,
      DATABASE_URL: 'sqlite://.data/e2e.db',
      LD_DEMO_CREDENTIALS_FILE: '.data/demo-credentials.txt',
      LD_ATTACHMENT_DIR: '.data/attachments',
      // Many sign-ins from one address in a few seconds: the per-address throttle has its own HTTP test.
      LD_SIGNIN_PER_IP_PER_MINUTE: '1000',
      RUST_LOG: 'warn',
    },
  },
});
