#!/usr/bin/env bash
# `npm test`: installs what the tests need on a fresh machine (Chromium, PostgreSQL, the mail servers),
# builds, runs every suite (Vitest unit + API tests on SQLite and PostgreSQL, the mail-server tests,
# Playwright end to end), and ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n== %s\n' "$*"; }
as_root() { [ "$(id -u)" = 0 ]; }
apt_install() {
  if as_root && command -v apt-get >/dev/null; then
    [ -n "${APT_UPDATED:-}" ] || { apt-get update -qq >/dev/null && APT_UPDATED=1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "Please install: $* (needs root and apt-get)"; return 1
  fi
}

# Node packages: install when missing or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "Installing Node packages (npm ci)"
  npm ci || { echo "npm ci failed"; echo "0 passed, 1 failed"; exit 1; }
fi

# A browser for Playwright: Debian's Chromium (Playwright cannot download its own here).
if [ ! -x /usr/bin/chromium ]; then
  say "Installing Chromium (Debian package)"
  apt_install chromium || echo "Without /usr/bin/chromium, Playwright uses its own browser if one is installed."
fi

# PostgreSQL for the API tests: use TEST_PG_URL/DATABASE_URL, else 127.0.0.1:5432, starting or installing it.
if [ -z "${TEST_PG_URL:-}" ] && [ -n "${DATABASE_URL:-}" ]; then export TEST_PG_URL="$DATABASE_URL"; fi
if [ -z "${TEST_PG_URL:-}" ]; then
  export TEST_PG_URL="postgres://postgres@127.0.0.1:5432/postgres"
  pg_ready() { command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; }
  if ! pg_ready; then
    if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
      say "Installing PostgreSQL (Debian package)"
      apt_install postgresql
    fi
    if ls /etc/postgresql/*/main >/dev/null 2>&1 && command -v pg_ctlcluster >/dev/null; then
      say "Starting PostgreSQL"
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
      for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
    fi
  fi
  # A fresh Debian cluster asks for a password over TCP; give the test role one it knows.
  if pg_ready && ! psql "$TEST_PG_URL" -c 'select 1' >/dev/null 2>&1 && as_root; then
    su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null 2>&1 &&
      export TEST_PG_URL="postgres://postgres:postgres@127.0.0.1:5432/postgres"
  fi
  pg_ready || { echo "PostgreSQL is not reachable; API tests on PostgreSQL will fail (SKIP_PG=1 skips them)."; }
fi

# Mail servers for the app-password tests with real mail clients, and nginx in front of several instances for
# the multi-instance tests (Debian's packages): nginx with its mail
# module, Dovecot with IMAP and submission, curl as the client. The tests run their own throwaway instances.
mail_packages=()
{ [ -x /usr/sbin/nginx ] && [ -e /usr/lib/nginx/modules/ngx_mail_module.so ]; } || mail_packages+=(nginx libnginx-mod-mail)
[ -x /usr/lib/dovecot/imap ] || mail_packages+=(dovecot-imapd)
[ -x /usr/lib/dovecot/submission ] || mail_packages+=(dovecot-submissiond)
[ -x /usr/bin/curl ] || mail_packages+=(curl)
if [ ${#mail_packages[@]} -gt 0 ]; then
  say "Installing mail servers for the mail tests (Debian packages: ${mail_packages[*]})"
  if apt_install "${mail_packages[@]}"; then
    # Debian may start the services it just installed; only the tests' own instances are wanted.
    for service in dovecot nginx; do
      command -v service >/dev/null && service "$service" stop >/dev/null 2>&1 || true
    done
  else
    echo "Without them the mail-server tests are skipped."
  fi
fi

say "Checking formatting (Prettier)"
npm run -s format:check
format_status=$?

say "Building (typecheck, client, server)"
npm run build || { echo "Build failed"; echo "0 passed, 1 failed"; exit 1; }

mkdir -p test-results
rm -f test-results/vitest.json test-results/playwright.json

say "Unit and API tests (Vitest)"
npx vitest run --reporter=default --reporter=json --outputFile=test-results/vitest.json
vitest_status=$?

say "End-to-end tests (Playwright, Chromium)"
npx playwright test
playwright_status=$?

node scripts/test-summary.mjs "$vitest_status" "$playwright_status" "$format_status"
